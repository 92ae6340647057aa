package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model tensors by state-dict key, resident in one long-lived {@link NDManager}. Floating-point tensors
 * are held in float32 whatever their stored type (fp16/bf16 weights are computed in fp32); integer
 * buffers ({@code num_batches_tracked}) are kept as int64 so a saved checkpoint round-trips.
 */
public final class Weights {
  private final Map<String, NDArray> arrays;
  private volatile boolean batchNormTraining;

  public Weights(Map<String, NDArray> arrays) {
    this.arrays = arrays;
  }

  /** Copies every tensor of {@code sd} into {@code manager}, in float32. */
  public static Weights load(StateDict sd, NDManager manager) {
    return load(sd, manager, Precision.FP32);
  }

  /**
   * Copies every tensor of {@code sd} into {@code manager}; floating-point tensors end up in {@code precision}
   * (except {@code logit_scale}, a float32 scalar read from Java). Each tensor crosses from the Java heap to
   * native memory once, converted there, so loading needs no float[] copy of the model.
   */
  public static Weights load(StateDict sd, NDManager manager, Precision precision) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, TensorData> e : sd.asMap().entrySet()) {
        NDArray a = toNDArray(e.getValue(), manager);
        if (precision != Precision.FP32 && a.getDataType() == DataType.FLOAT32 && !e.getKey().equals("logit_scale")) {
          NDArray converted = a.toType(precision.dataType(), false);
          a.close();
          a = converted;
        }
        out.put(e.getKey(), a);
      }
    } catch (RuntimeException e) {
      out.values().forEach(NDArray::close);
      throw e;
    }
    return new Weights(out);
  }

  public static NDArray toNDArray(TensorData t, NDManager manager) {
    Shape shape = new Shape(t.shape());
    // bfloat16 goes through Java floats: DJL 0.36 aborts the JVM when it creates a bfloat16 tensor
    DType native16 = t.dtype() == DType.FLOAT16 ? t.dtype() : null;
    if (t.dtype() == DType.FLOAT32 || t.dtype() == DType.INT64) {
      return nativeCopy(manager.create(t.data(), shape, t.dtype() == DType.FLOAT32 ? DataType.FLOAT32 : DataType.INT64));
    }
    if (native16 != null) {
      try (NDArray half = manager.create(t.data(), shape, DataType.FLOAT16)) {
        return half.toType(DataType.FLOAT32, false);
      }
    }
    if (t.dtype().isFloatingPoint()) {
      return nativeCopy(manager.create(t.toFloats(), shape));
    }
    long[] v = new long[Math.toIntExact(t.numel())];
    float[] f = t.toFloats();
    for (int i = 0; i < v.length; i++) {
      v[i] = (long) f[i];
    }
    return nativeCopy(manager.create(v, shape));
  }

  /**
   * A copy of {@code a} in memory allocated by PyTorch. Arrays made from Java arrays share a direct
   * ByteBuffer that the garbage collector may free while autograd (which can keep or steal buffers) still
   * uses it; tensors that outlive one call must own their memory.
   */
  public static NDArray nativeCopy(NDArray a) {
    NDArray copy = a.duplicate();
    a.close();
    return copy;
  }

  /** Whether BatchNorm layers use batch statistics and update their running averages (training). */
  public boolean batchNormTraining() {
    return batchNormTraining;
  }

  public void setBatchNormTraining(boolean training) {
    this.batchNormTraining = training;
  }

  /** The tensor for {@code key}; a missing key is a programming error here (configs were validated). */
  public NDArray get(String key) {
    NDArray a = arrays.get(key);
    if (a == null) {
      throw new IllegalStateException("no weight named " + key);
    }
    return a;
  }

  public NDArray getOrNull(String key) {
    return arrays.get(key);
  }

  public boolean contains(String key) {
    return arrays.containsKey(key);
  }

  public Map<String, NDArray> asMap() {
    return Collections.unmodifiableMap(arrays);
  }

  /**
   * Values of {@code a} as floats, read from a private copy. Rebinding a trainable parameter with
   * {@code NDArray.set(Buffer)} and then reading the leaf's own memory ({@code toFloatArray}) produced NaN
   * weights a few steps later, nondeterministically, with DJL 0.36 / PyTorch 2.7; parameters are therefore
   * only updated in place and only read through a clone, which is cheap next to a training step.
   */
  public static float[] read(NDArray a) {
    try (NDArray copy = a.duplicate()) {
      return copy.toFloatArray();
    }
  }

  /** As {@link #read(NDArray)} for int64 buffers. */
  public static long[] readLongs(NDArray a) {
    try (NDArray copy = a.duplicate()) {
      return copy.toLongArray();
    }
  }

  /** True for tensors that are trained (float, not BatchNorm running statistics). */
  public static boolean isTrainable(String key, NDArray a) {
    return a.getDataType() == DataType.FLOAT32 && !key.endsWith(".running_mean") && !key.endsWith(".running_var");
  }
}

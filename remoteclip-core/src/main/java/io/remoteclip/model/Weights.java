package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
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
   * (except {@code logit_scale}, a float32 scalar read from Java). Each tensor is read (from its checkpoint
   * file, for a state dict just read) into one reused native staging buffer, viewed there by PyTorch and cloned
   * into PyTorch's memory: loading holds the model once, in native memory, plus one tensor — never a copy on
   * the Java heap, nor a direct buffer per tensor waiting for the garbage collector.
   */
  public static Weights load(StateDict sd, NDManager manager, Precision precision) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try {
      ByteBuffer staging = ByteBuffer.allocateDirect(Math.toIntExact(stagingBytes(sd))).order(ByteOrder.nativeOrder());
      for (Map.Entry<String, TensorData> e : sd.asMap().entrySet()) {
        NDArray a = toNDArray(e.getValue(), manager, staging);
        if (precision != Precision.FP32 && a.getDataType() == DataType.FLOAT32 && !e.getKey().equals("logit_scale")) {
          NDArray converted = a.toType(precision.dataType(), false);
          a.close();
          a = converted;
        }
        out.put(e.getKey(), a);
      }
    } catch (IOException e) {
      out.values().forEach(NDArray::close);
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (RuntimeException e) {
      out.values().forEach(NDArray::close);
      throw e;
    }
    return new Weights(out);
  }

  /** One tensor in native memory owned by PyTorch (float32, float16 made float32, int64; others converted). */
  public static NDArray toNDArray(TensorData t, NDManager manager) {
    ByteBuffer staging = ByteBuffer.allocateDirect(Math.toIntExact(stagingBytes(t))).order(ByteOrder.nativeOrder());
    try {
      return toNDArray(t, manager, staging);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** {@code staging}: a direct buffer of at least {@link #stagingBytes(TensorData)}, reused across calls. */
  private static NDArray toNDArray(TensorData t, NDManager manager, ByteBuffer staging) throws IOException {
    Shape shape = new Shape(t.shape());
    staging.clear();
    DataType type;
    switch (t.dtype()) {
      case FLOAT32, FLOAT16, INT64 -> {
        // bytes as stored: float16 is widened by PyTorch below (bfloat16 is not: DJL 0.36 aborts the JVM on it)
        t.readInto(staging);
        type = t.dtype() == DType.FLOAT32 ? DataType.FLOAT32 : t.dtype() == DType.FLOAT16 ? DataType.FLOAT16 : DataType.INT64;
      }
      default -> {
        float[] f = t.toFloats();
        if (t.dtype().isFloatingPoint()) {
          staging.asFloatBuffer().put(f);
          staging.position(f.length * 4);
          type = DataType.FLOAT32;
        } else {
          LongBuffer longs = staging.asLongBuffer();
          for (float v : f) {
            longs.put((long) v);
          }
          staging.position(f.length * 8);
          type = DataType.INT64;
        }
      }
    }
    staging.flip(); // PyTorch reads from the buffer's address: position 0, limit the tensor's bytes
    try (NDArray view = manager.create(staging, shape, type)) {
      return type == DataType.FLOAT16 ? view.toType(DataType.FLOAT32, false) : view.duplicate();
    }
  }

  /** Bytes of the staging buffer {@code t} needs: as stored, or widened to float32 / int64. */
  static long stagingBytes(TensorData t) {
    return switch (t.dtype()) {
      case FLOAT32, FLOAT16, INT64 -> t.byteSize();
      default -> t.numel() * (t.dtype().isFloatingPoint() ? 4 : 8);
    };
  }

  private static long stagingBytes(StateDict sd) {
    long max = 1;
    for (TensorData t : sd.asMap().values()) {
      max = Math.max(max, stagingBytes(t));
    }
    return max;
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

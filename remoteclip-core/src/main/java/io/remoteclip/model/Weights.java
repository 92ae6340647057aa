package io.remoteclip.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.npy.HalfFloats;
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
   * file, for a state dict just read) straight into the memory of an empty PyTorch tensor: loading holds the
   * model once, in native memory — no copy on the Java heap, no staging buffer, no clone.
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

  /**
   * One tensor in memory owned by PyTorch on {@code manager}'s device: float32 and int64 as stored, fp16 and
   * bf16 widened exactly to float32 in the tensor's own memory, other types converted in Java.
   */
  public static NDArray toNDArray(TensorData t, NDManager manager) {
    try {
      if (Device.cpu().equals(manager.getDevice())) {
        return onCpu(t, manager);
      }
      try (NDManager host = manager.newSubManager(Device.cpu())) {
        NDArray a = onCpu(t, host).toDevice(manager.getDevice(), false);
        a.attach(manager);
        return a;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static NDArray onCpu(TensorData t, NDManager manager) throws IOException {
    Shape shape = new Shape(t.shape());
    switch (t.dtype()) {
      case FLOAT32, INT64 -> {
        return filled(manager, shape, t.dtype() == DType.FLOAT32 ? DataType.FLOAT32 : DataType.INT64, t::readInto);
      }
      case FLOAT16, BFLOAT16 -> {
        return filled(manager, shape, DataType.FLOAT32, memory -> widenInPlace(t, memory));
      }
      default -> {
        float[] f = t.toFloats();
        if (t.dtype().isFloatingPoint()) {
          return filled(manager, shape, DataType.FLOAT32, b -> b.asFloatBuffer().put(f));
        }
        return filled(manager, shape, DataType.INT64, b -> {
          LongBuffer longs = b.asLongBuffer();
          for (float v : f) {
            longs.put((long) v);
          }
        });
      }
    }
  }

  /**
   * Reads the 2-byte values of {@code t} (fp16 or bf16) into the upper half of {@code memory}, the float32
   * tensor's, and widens them front to back: float i (bytes 4i..4i+3) can only overwrite values j ≤ 2i − n + 1 ≤ i,
   * already read. So the weights need no second buffer (a float16 tensor widened by PyTorch would leave a freed
   * block behind each weight; DJL 0.36 aborts the JVM on bfloat16 tensors anyway).
   */
  private static void widenInPlace(TensorData t, ByteBuffer memory) throws IOException {
    int n = Math.toIntExact(t.numel());
    t.readInto(memory.duplicate().position(2 * n));
    ByteBuffer stored = memory.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    boolean half = t.dtype() == DType.FLOAT16;
    for (int i = 0; i < n; i++) {
      short v = stored.getShort(2 * n + 2 * i);
      memory.putFloat(4 * i, half ? HalfFloats.halfToFloat(v) : HalfFloats.bfloat16ToFloat(v));
    }
  }

  /** Writes the elements of a new tensor, in native byte order, through a view of its own memory. */
  @FunctionalInterface
  private interface Filler {
    void fill(ByteBuffer memory) throws IOException;
  }

  /** An empty (uninitialised) CPU tensor whose memory {@code filler} writes, every byte of it. */
  private static NDArray filled(NDManager manager, Shape shape, DataType type, Filler filler) throws IOException {
    NDArray a = manager.create(shape, type);
    try {
      if (shape.size() > 0) {
        ByteBuffer memory = a.toByteBuffer(true); // the tensor's own memory (contiguous, on the CPU), not a copy
        if (!memory.isDirect() || memory.capacity() != shape.size() * type.getNumOfBytes()) {
          throw new IllegalStateException("no direct view of a new " + type + " tensor " + shape);
        }
        filler.fill(memory);
      }
      return a;
    } catch (IOException | RuntimeException e) {
      a.close();
      throw e;
    }
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

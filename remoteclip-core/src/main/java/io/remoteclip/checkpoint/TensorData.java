package io.remoteclip.checkpoint;

import io.remoteclip.npy.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a checkpoint: element type, shape (empty for a 0-d tensor) and its elements in C order,
 * little-endian. Readers always produce contiguous data (views into shared storages are copied out).
 */
public record TensorData(DType dtype, long[] shape, ByteBuffer data) {

  public TensorData {
    shape = shape.clone();
    data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long expected = numel(shape) * dtype.size();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException(
          "data has " + data.remaining() + " bytes, shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
    }
  }

  /**
   * The elements, little-endian, as a fresh view: callers may move its position without affecting this
   * tensor (the bytes themselves are shared, do not write them).
   */
  @Override
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public long numel() {
    return numel(shape);
  }

  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code i}; negative {@code i} counts from the end. */
  public long dim(int i) {
    return shape[i < 0 ? shape.length + i : i];
  }

  /** Elements widened to float32 (fp16/bf16 upcast exactly; integers converted). */
  public float[] toFloats() {
    int n = Math.toIntExact(numel());
    float[] out = new float[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FLOAT32 -> b.asFloatBuffer().get(out);
      case FLOAT16 -> { for (int i = 0; i < n; i++) out[i] = HalfFloats.halfToFloat(b.getShort(i * 2)); }
      case BFLOAT16 -> { for (int i = 0; i < n; i++) out[i] = HalfFloats.bfloat16ToFloat(b.getShort(i * 2)); }
      case FLOAT64 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
      case INT64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8); }
      case INT32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
      case INT16 -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2); }
      case INT8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i); }
      case UINT8, BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
    }
    return out;
  }

  /** A float32 tensor of the given shape (writers, tests, training output). */
  public static TensorData ofFloats(float[] values, long... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new TensorData(DType.FLOAT32, shape, b);
  }

  /** This tensor's values converted to {@code target} (float types round to nearest even). */
  public TensorData convertTo(DType target) {
    if (target == dtype) {
      return this;
    }
    float[] f = toFloats();
    ByteBuffer b = ByteBuffer.allocate(f.length * target.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : f) {
      switch (target) {
        case FLOAT32 -> b.putFloat(v);
        case FLOAT16 -> b.putShort(HalfFloats.floatToHalf(v));
        case BFLOAT16 -> b.putShort(HalfFloats.floatToBfloat16(v));
        case FLOAT64 -> b.putDouble(v);
        case INT64 -> b.putLong((long) v);
        case INT32 -> b.putInt((int) v);
        case INT16 -> b.putShort((short) v);
        case INT8, UINT8 -> b.put((byte) v);
        case BOOL -> b.put((byte) (v != 0 ? 1 : 0));
      }
    }
    b.flip();
    return new TensorData(target, shape, b);
  }
}

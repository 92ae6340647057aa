package io.remoteclip.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array as stored in a {@code .npy} file: a NumPy dtype descriptor ({@code <f4},
 * {@code <i8}, {@code |u1} ...), a shape (empty for a scalar) and C-order little-endian bytes.
 */
public record NpyArray(String dtype, int[] shape, ByteBuffer data) {

  public NpyArray {
    shape = shape.clone();
    data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  public static NpyArray ofFloats(float[] values, int... shape) {
    checkCount(values.length, shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new NpyArray("<f4", shape, b);
  }

  public static NpyArray ofLongs(long[] values, int... shape) {
    checkCount(values.length, shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return new NpyArray("<i8", shape, b);
  }

  private static void checkCount(long n, int[] shape) {
    if (n != count(shape)) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + count(shape) + " values, got " + n);
    }
  }

  static long count(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  public long size() {
    return count(shape);
  }

  public int itemSize() {
    return Integer.parseInt(dtype.substring(2));
  }

  public char kind() {
    return dtype.charAt(1);
  }

  /** Values as float32, converting from any float or integer dtype. */
  public float[] floats() {
    int n = Math.toIntExact(size());
    float[] out = new float[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype.substring(1)) {
      case "f4" -> b.asFloatBuffer().get(out);
      case "f8" -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
      case "f2" -> { for (int i = 0; i < n; i++) out[i] = HalfFloats.halfToFloat(b.getShort(i * 2)); }
      default -> {
        long[] l = longs();
        for (int i = 0; i < n; i++) out[i] = l[i];
      }
    }
    return out;
  }

  /** Values as int64, converting from any integer dtype; floats are rejected. */
  public long[] longs() {
    int n = Math.toIntExact(size());
    long[] out = new long[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    String t = dtype.substring(1);
    for (int i = 0; i < n; i++) {
      out[i] = switch (t) {
        case "i8", "u8" -> b.getLong(i * 8);
        case "i4" -> b.getInt(i * 4);
        case "u4" -> Integer.toUnsignedLong(b.getInt(i * 4));
        case "i2" -> b.getShort(i * 2);
        case "u2" -> Short.toUnsignedInt(b.getShort(i * 2));
        case "i1" -> b.get(i);
        case "u1", "b1" -> Byte.toUnsignedInt(b.get(i));
        default -> throw new IllegalStateException("dtype " + dtype + " is not an integer type");
      };
    }
    return out;
  }

  /** Labels and indices: int values of a 1-d integer array. */
  public int[] ints() {
    long[] l = longs();
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      out[i] = Math.toIntExact(l[i]);
    }
    return out;
  }

  /** A 2-d array as rows; a 1-d array becomes a single row. */
  public float[][] matrix() {
    if (shape.length > 2 || shape.length == 0) {
      throw new IllegalStateException("expected a 1-d or 2-d array, shape is " + Arrays.toString(shape));
    }
    int rows = shape.length == 2 ? shape[0] : 1;
    int cols = shape[shape.length - 1];
    float[] flat = floats();
    float[][] out = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }
}

package io.remoteclip.checkpoint;

import io.remoteclip.npy.HalfFloats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a checkpoint: element type, shape (empty for a 0-d tensor) and its elements in C order,
 * little-endian. Readers always produce contiguous data (views into shared storages are copied out).
 *
 * <p>The elements are either in memory or, for tensors read from a checkpoint file, still in the file: a
 * reader records where they are and reads them only when asked ({@link #readInto} straight into native
 * memory, {@link #data} onto the heap). So a state dict of a large model costs a few KB until its tensors
 * are used, and loading a model never holds a second copy of its weights on the Java heap.
 */
public final class TensorData {
  /** The stored elements of a tensor read from a file, fetched on demand. */
  interface StoredBytes {
    /** Writes exactly this tensor's bytes at {@code dst}'s position, advancing it. */
    void readInto(ByteBuffer dst) throws IOException;
  }

  private final DType dtype;
  private final long[] shape;
  private final ByteBuffer data; // null when stored
  private final StoredBytes stored; // null when in memory

  /** A tensor whose elements are the remaining bytes of {@code data} (shared, not copied). */
  public TensorData(DType dtype, long[] shape, ByteBuffer data) {
    this(dtype, shape, data.duplicate().order(ByteOrder.LITTLE_ENDIAN), null);
    if (data.remaining() != byteSize()) {
      throw new IllegalArgumentException(
          "data has " + data.remaining() + " bytes, shape " + Arrays.toString(shape) + " of " + dtype + " needs " + byteSize());
    }
  }

  private TensorData(DType dtype, long[] shape, ByteBuffer data, StoredBytes stored) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data;
    this.stored = stored;
  }

  /** A tensor whose {@link #byteSize()} bytes are fetched from a file by {@code stored} when needed. */
  static TensorData stored(DType dtype, long[] shape, StoredBytes stored) {
    return new TensorData(dtype, shape, null, stored);
  }

  /** Computes the elements of a float32 tensor, the same ones on every call, in C order. */
  @FunctionalInterface
  public interface FloatSource {
    void fill(java.nio.FloatBuffer out);
  }

  /**
   * A float32 tensor whose elements {@code source} computes whenever they are read and that is never held: a
   * random-initialised model of any size then costs one tensor's memory at a time (in native memory when
   * loaded, on the heap when written to a file).
   */
  public static TensorData computed(long[] shape, FloatSource source) {
    long bytes = numel(shape) * DType.FLOAT32.size();
    return new TensorData(DType.FLOAT32, shape, null, dst -> {
      ByteBuffer view = dst.slice().order(ByteOrder.LITTLE_ENDIAN);
      view.limit(Math.toIntExact(bytes));
      source.fill(view.asFloatBuffer());
      dst.position(dst.position() + (int) bytes);
    });
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** False when the elements are still in the checkpoint file (read on each {@link #data} or {@link #readInto}). */
  public boolean inMemory() {
    return stored == null;
  }

  /** numel × element size. */
  public long byteSize() {
    return numel() * dtype.size();
  }

  /**
   * The elements, little-endian, as a fresh view: callers may move its position without affecting this
   * tensor (the bytes of an in-memory tensor are shared, do not write them). A stored tensor is read from its
   * file into a new heap buffer on every call; a failure to read it is an {@link UncheckedIOException}.
   */
  public ByteBuffer data() {
    if (stored == null) {
      return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    try {
      stored.readInto(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    return b.flip();
  }

  /**
   * Copies the {@link #byteSize()} bytes (little-endian) to {@code dst} at its position, advancing it; for a
   * stored tensor straight from the file, so that a direct {@code dst} gets them without a heap copy.
   */
  public void readInto(ByteBuffer dst) throws IOException {
    if (dst.remaining() < byteSize()) {
      throw new IllegalArgumentException("destination has " + dst.remaining() + " bytes free, the tensor " + byteSize());
    }
    if (stored == null) {
      dst.put(data.duplicate());
    } else {
      int start = dst.position();
      stored.readInto(dst);
      if (dst.position() - start != byteSize()) {
        throw new IllegalStateException("read " + (dst.position() - start) + " bytes of a tensor of " + byteSize());
      }
    }
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
    ByteBuffer b = data();
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

  /** This tensor's values converted to {@code target} (float types round to nearest even), in memory. */
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

  @Override
  public String toString() {
    return dtype + Arrays.toString(shape) + (stored == null ? "" : " (read when used)");
  }
}

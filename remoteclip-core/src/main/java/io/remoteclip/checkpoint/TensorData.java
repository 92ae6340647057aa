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

    /** Bytes {@code [offset, offset + length)} of these, still in the file. */
    StoredBytes slice(long offset, long length);
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
    return new TensorData(DType.FLOAT32, shape, null, new Computed(source, numel(shape) * DType.FLOAT32.size(), 0,
        numel(shape) * DType.FLOAT32.size()));
  }

  /** Bytes {@code [offset, offset + length)} of the {@code bytes} a {@link FloatSource} computes. */
  private record Computed(FloatSource source, long bytes, long offset, long length) implements StoredBytes {
    @Override
    public void readInto(ByteBuffer dst) {
      if (offset == 0 && length == bytes) {
        ByteBuffer view = dst.slice().order(ByteOrder.LITTLE_ENDIAN);
        view.limit(Math.toIntExact(bytes));
        source.fill(view.asFloatBuffer());
      } else {
        // a part of a computed tensor (a lazy view of a random-initialised model): compute it whole, copy the part
        ByteBuffer whole = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        source.fill(whole.asFloatBuffer());
        dst.slice().put(whole.position(Math.toIntExact(offset)).limit(Math.toIntExact(offset + length)));
      }
      dst.position(dst.position() + (int) length);
    }

    @Override
    public StoredBytes slice(long from, long size) {
      return new Computed(source, bytes, offset + from, size);
    }
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

  /** The same elements under another shape of the same size (a view: nothing is read or copied). */
  public TensorData reshape(long... newShape) {
    if (numel(newShape) != numel()) {
      throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
    }
    return new TensorData(dtype, newShape, data, stored);
  }

  /**
   * Rows {@code [from, to)} along the first dimension (e.g. q out of a packed q, k, v projection). Contiguous
   * bytes, so a tensor still in its file stays there: only the range read later shrinks.
   */
  public TensorData rows(long from, long to) {
    if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
      throw new IllegalArgumentException("rows [" + from + ", " + to + ") of " + Arrays.toString(shape));
    }
    long[] out = shape.clone();
    out[0] = to - from;
    long rowBytes = shape[0] == 0 ? 0 : byteSize() / shape[0];
    long start = from * rowBytes;
    long length = (to - from) * rowBytes;
    if (stored != null) {
      return new TensorData(dtype, out, null, stored.slice(start, length));
    }
    ByteBuffer b = data.duplicate().position(Math.toIntExact(start)).limit(Math.toIntExact(start + length)).slice();
    return new TensorData(dtype, out, b.order(ByteOrder.LITTLE_ENDIAN), null);
  }

  /**
   * {@code parts} stacked along the first dimension (e.g. separate q, k, v projections packed into one). Parts
   * still in their files stay there and are read one after another when the result is used.
   */
  public static TensorData concatRows(java.util.List<TensorData> parts) {
    TensorData first = parts.get(0);
    long rows = 0;
    for (TensorData p : parts) {
      if (p.dtype != first.dtype || p.shape.length == 0 || p.shape.length != first.shape.length
          || !Arrays.equals(Arrays.copyOfRange(p.shape, 1, p.shape.length), Arrays.copyOfRange(first.shape, 1, first.shape.length))) {
        throw new IllegalArgumentException("cannot stack " + p + " under " + first);
      }
      rows += p.shape[0];
    }
    long[] out = first.shape.clone();
    out[0] = rows;
    if (parts.stream().allMatch(TensorData::inMemory)) {
      ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(numel(out) * first.dtype.size())).order(ByteOrder.LITTLE_ENDIAN);
      parts.forEach(p -> b.put(p.data.duplicate()));
      return new TensorData(first.dtype, out, b.flip(), null);
    }
    return new TensorData(first.dtype, out, null, new Stacked(java.util.List.copyOf(parts)));
  }

  /** The transpose of a 2-d tensor, in memory (projection matrices: small). */
  public TensorData transpose2d() {
    if (shape.length != 2) {
      throw new IllegalArgumentException("transpose of a " + shape.length + "-d tensor " + Arrays.toString(shape));
    }
    int r = Math.toIntExact(shape[0]);
    int c = Math.toIntExact(shape[1]);
    int size = dtype.size();
    ByteBuffer src = data();
    ByteBuffer dst = ByteBuffer.allocate(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        for (int k = 0; k < size; k++) {
          dst.put((j * r + i) * size + k, src.get((i * c + j) * size + k));
        }
      }
    }
    return new TensorData(dtype, new long[] {c, r}, dst, null);
  }

  /** Parts read one after another. */
  private record Stacked(java.util.List<TensorData> parts) implements StoredBytes {
    @Override
    public void readInto(ByteBuffer dst) throws IOException {
      for (TensorData p : parts) {
        p.readInto(dst);
      }
    }

    @Override
    public StoredBytes slice(long offset, long length) {
      java.util.List<TensorData> within = new java.util.ArrayList<>();
      long start = 0;
      for (TensorData p : parts) {
        long end = start + p.byteSize();
        long from = Math.max(offset, start);
        long to = Math.min(offset + length, end);
        if (from < to) {
          within.add(p.bytes(from - start, to - from));
        }
        start = end;
      }
      return new Stacked(within);
    }
  }

  /** Bytes {@code [offset, offset + length)} as a 1-d uint8 tensor (kept in the file when this one is). */
  private TensorData bytes(long offset, long length) {
    long[] shape1 = {length};
    if (stored != null) {
      return new TensorData(DType.UINT8, shape1, null, stored.slice(offset, length));
    }
    ByteBuffer b = data.duplicate().position(Math.toIntExact(offset)).limit(Math.toIntExact(offset + length)).slice();
    return new TensorData(DType.UINT8, shape1, b.order(ByteOrder.LITTLE_ENDIAN), null);
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

package io.remoteclip.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A PyTorch view ({@code storage_offset}, {@code size}, {@code stride}, all in elements) of a storage: checks
 * that every element it addresses lies in the storage, finds the byte range of a contiguous view (read from the
 * file like a whole storage) and copies any other view out into contiguous C-order bytes.
 */
final class StridedView {
  private StridedView() {}

  /** Bytes {@code [start, start + length)} of a storage. */
  record ByteRange(long start, long length) {}

  /**
   * Checks that the view is consistent and that every element it addresses lies in the storage; returns the
   * one byte range holding its elements in C order when it is contiguous, null when they must be gathered.
   *
   * @throws IllegalArgumentException when the view is inconsistent or reaches outside the storage
   */
  static ByteRange check(DType dtype, long storageNumel, long offset, long[] size, long[] stride) {
    try {
      return checked(dtype, storageNumel, offset, size, stride);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("element count or extent overflows 64 bits");
    }
  }

  /** The view's elements in C order, copied out of {@code storage} (after {@link #check}). */
  static ByteBuffer materialize(ByteBuffer storage, DType dtype, long storageNumel, long offset, long[] size, long[] stride) {
    ByteRange range = check(dtype, storageNumel, offset, size, stride);
    int bytes = Math.toIntExact(TensorData.numel(size) * dtype.size());
    if (range != null) {
      ByteBuffer out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
      out.put(storage.duplicate().position((int) range.start()).limit((int) (range.start() + bytes)));
      return out.flip();
    }
    return gather(storage, dtype.size(), offset, size, stride, bytes);
  }

  private static ByteRange checked(DType dtype, long storageNumel, long offset, long[] size, long[] stride) {
    if (size.length != stride.length) {
      throw new IllegalArgumentException("size has " + size.length + " dims vs stride " + stride.length);
    }
    int elem = dtype.size();
    long numel = 1;
    long last = offset; // highest element index addressed
    for (int d = 0; d < size.length; d++) {
      if (size[d] < 0 || stride[d] < 0) {
        throw new IllegalArgumentException("negative size or stride");
      }
      numel = Math.multiplyExact(numel, size[d]);
      if (size[d] > 0) {
        last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
      }
    }
    if (offset < 0) {
      throw new IllegalArgumentException("negative storage offset");
    }
    if (numel == 0) {
      return new ByteRange(0, 0);
    }
    if (last >= storageNumel) {
      throw new IllegalArgumentException("addresses element " + last + " of a storage of " + storageNumel);
    }
    long bytes = Math.multiplyExact(numel, (long) elem);
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor of " + bytes + " bytes is larger than 2 GiB");
    }
    return isContiguous(size, stride) ? new ByteRange(offset * elem, bytes) : null;
  }

  /** True when the strides are C-order for the sizes (dimensions of size 1 may have any stride). */
  static boolean isContiguous(long[] size, long[] stride) {
    long expected = 1;
    for (int d = size.length - 1; d >= 0; d--) {
      if (size[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= size[d];
    }
    return true;
  }

  /** Row-major strides (in elements) of a contiguous tensor of this shape. */
  static long[] contiguousStrides(long[] size) {
    long[] stride = new long[size.length];
    long s = 1;
    for (int d = size.length - 1; d >= 0; d--) {
      stride[d] = s;
      s *= Math.max(size[d], 1);
    }
    return stride;
  }

  /** Walks the index space in C order, copying one element at a time. */
  private static ByteBuffer gather(ByteBuffer storage, int elem, long offset, long[] size, long[] stride, int bytes) {
    byte[] out = new byte[bytes];
    ByteBuffer src = storage.duplicate();
    int rank = size.length;
    long[] index = new long[rank];
    long source = offset;
    byte[] one = new byte[elem];
    for (int o = 0; o < bytes; o += elem) {
      src.get((int) (source * elem), one);
      System.arraycopy(one, 0, out, o, elem);
      for (int d = rank - 1; d >= 0; d--) { // odometer increment
        index[d]++;
        source += stride[d];
        if (index[d] < size[d]) {
          break;
        }
        source -= stride[d] * index[d];
        index[d] = 0;
      }
    }
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }
}

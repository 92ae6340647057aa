package io.remoteclip.spark;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.ImageTooLargeException;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * The heap one executor JVM lets its image decodes use at once. Tasks and decoder threads decode side by side,
 * and a few large (or elongated: the resize makes the short side the model's) images together exceed any heap:
 * the executor dies of OutOfMemoryError and the job with it. So each decode is priced from the image header,
 * before a pixel is read; an image dearer than the whole budget is refused (an errors-table row), the others
 * wait until the decodes before them have returned their share.
 *
 * <p>The budget is Spark's "user memory", the part of the heap Spark's own execution and storage memory leave:
 * {@code (heap - 300 MiB) * (1 - spark.memory.fraction)}.
 */
final class DecodeBudget {
  /** ImageIO's raster (up to 8 bytes a pixel: 16-bit RGBA) plus the decoded copy (up to 4). */
  static final int DECODE_BYTES_PER_PIXEL = 12;
  /** The resize's intermediate and result images (two passes, up to 4 channels). */
  static final int RESIZE_BYTES_PER_PIXEL = 8;
  private static final long SPARK_RESERVED = 300L << 20;
  private static DecodeBudget executor;

  private final long bytes;
  /** Kibibytes, so that a budget of terabytes still fits the semaphore's int permits. */
  private final Semaphore kib;

  DecodeBudget(long bytes) {
    this.bytes = bytes;
    this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes >> 10), true);
  }

  /** The budget of this JVM, sized once from its maximum heap. */
  static synchronized DecodeBudget executor() {
    if (executor == null) {
      org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
      double fraction = env == null ? 0.6 : env.conf().getDouble("spark.memory.fraction", 0.6);
      long heap = Runtime.getRuntime().maxMemory();
      executor = new DecodeBudget((long) (Math.max(heap - SPARK_RESERVED, heap / 4) * (1 - fraction)));
    }
    return executor;
  }

  /** A share of the budget, returned by {@link #close()}. */
  final class Permit implements AutoCloseable {
    private final int kibibytes;

    private Permit(int kibibytes) {
      this.kibibytes = kibibytes;
    }

    @Override
    public void close() {
      kib.release(kibibytes);
    }
  }

  /**
   * Waits for the share an image of {@code width x height} needs, decoded and resized so that its short side is
   * {@code side}.
   *
   * @throws ImageTooLargeException over the decoder's pixel limit
   * @throws DataFormatException dearer than the whole budget
   */
  Permit admit(String name, int width, int height, int side) throws DataFormatException, InterruptedException {
    if ((long) width * height > ImageDecoder.MAX_PIXELS) {
      throw new ImageTooLargeException(name, width, height, ImageDecoder.MAX_PIXELS);
    }
    double cost = cost(width, height, side);
    if (cost > bytes) {
      throw new DataFormatException(String.format(Locale.ROOT, "%s: image is too large for this executor's memory: "
          + "%dx%d needs about %,.0f MiB to decode and resize, the decode budget is %,d MiB (raise spark.executor.memory)",
          name, width, height, cost / (1 << 20), bytes >> 20));
    }
    int share = (int) Math.max(1, Math.ceil(cost / 1024));
    kib.acquire(share);
    return new Permit(share);
  }

  /** Bytes of heap decoding and resizing take (a double: a header may claim sizes whose product overflows). */
  static double cost(int width, int height, int side) {
    double shortSide = Math.max(1, Math.min(width, height));
    double longSide = Math.max(width, height);
    double resized = (double) side * Math.max(side, side * longSide / shortSide);
    return (double) width * height * DECODE_BYTES_PER_PIXEL + resized * RESIZE_BYTES_PER_PIXEL;
  }

  long bytes() {
    return bytes;
  }
}

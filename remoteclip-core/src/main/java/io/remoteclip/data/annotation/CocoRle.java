package io.remoteclip.data.annotation;

/**
 * COCO run-length encoded masks: runs alternate background/foreground starting with background, pixels in
 * column-major order ({@code h} rows per column). Counts come as a number list (uncompressed RLE) or as the
 * compact string of the COCO API (6-bit chunks offset by 48, 5 data bits and a continuation bit, sign
 * extension from bit 4, and each count from the third on stored as a difference to the count two before).
 */
public final class CocoRle {
  private CocoRle() {}

  /** Decodes the compact string form into run lengths. */
  public static long[] decode(String s) {
    long[] counts = new long[Math.max(4, s.length())];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new IllegalArgumentException("compressed RLE string ends inside a number");
        }
        int c = s.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException("invalid character '" + s.charAt(p) + "' in compressed RLE");
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += counts[m - 2];
      }
      counts[m++] = x;
    }
    return java.util.Arrays.copyOf(counts, m);
  }

  /** Extent of the foreground pixels of a {@code h×w} RLE mask, or null when it is empty. */
  public static BoundingBox extent(long[] counts, int h, int w) {
    long total = (long) h * w;
    long idx = 0;
    long minX = Long.MAX_VALUE, minY = Long.MAX_VALUE, maxX = -1, maxY = -1;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException("negative run length " + counts[i]);
      }
      if (i % 2 == 1 && counts[i] > 0) {
        long start = idx, end = idx + counts[i] - 1;
        if (end >= total) {
          throw new IllegalArgumentException("runs cover more than size " + h + "x" + w);
        }
        long c0 = start / h, c1 = end / h;
        minX = Math.min(minX, c0);
        maxX = Math.max(maxX, c1);
        if (c0 == c1) {
          minY = Math.min(minY, start % h);
          maxY = Math.max(maxY, end % h);
        } else {
          minY = 0;
          maxY = h - 1;
        }
      }
      idx += counts[i];
    }
    if (idx > total) {
      throw new IllegalArgumentException("runs cover " + idx + " pixels, more than size " + h + "x" + w);
    }
    return maxX < 0 ? null : new BoundingBox(minX, minY, maxX + 1, maxY + 1);
  }
}

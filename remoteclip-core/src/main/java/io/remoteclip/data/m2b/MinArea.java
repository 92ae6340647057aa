package io.remoteclip.data.m2b;

import java.util.Locale;

/**
 * Smallest region M2B keeps: a fraction of the image area ({@code 0.001} = 0.1 %, the default) or an
 * absolute pixel count ({@code "50px"}).
 */
public record MinArea(double fraction, long pixels) {
  public static final MinArea DEFAULT = new MinArea(0.001, -1);

  /** Parses {@code 0.001} or {@code 50px}. */
  public static MinArea parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("px")) {
        long px = Long.parseLong(t.substring(0, t.length() - 2).trim());
        if (px < 1) {
          throw new IllegalArgumentException("minimum area must be at least 1px, got '" + s + "'");
        }
        return new MinArea(-1, px);
      }
      double f = Double.parseDouble(t);
      if (!(f >= 0 && f < 1)) {
        throw new IllegalArgumentException("minimum area fraction must be in [0, 1), got '" + s + "'");
      }
      return new MinArea(f, -1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("minimum area must be a fraction like 0.001 or pixels like 50px, got '"
          + s + "'");
    }
  }

  /** The threshold in pixels for an image of {@code w×h} (at least 1). */
  public long pixelsFor(int w, int h) {
    return pixels > 0 ? pixels : Math.max(1, (long) Math.ceil(fraction * w * (double) h));
  }

  @Override
  public String toString() {
    return pixels > 0 ? pixels + "px" : String.valueOf(fraction);
  }
}

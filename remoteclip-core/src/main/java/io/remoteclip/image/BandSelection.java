package io.remoteclip.image;

import java.util.Arrays;

/**
 * How to make an RGB image from a multi-band or high-bit-depth raster (16-bit RGB, 4+ band multispectral,
 * float GeoTIFF): three 0-based band indices for R, G, B and, per band, the value range mapped linearly onto
 * 0..255 ({@code round(255 * (v - min) / (max - min))}, clamped). Text form for command lines: {@code
 * "3,2,1:0:3000"} (bands, then one min:max for all) or {@code "3,2,1:0:3000,0:2800,0:2500"}.
 */
public record BandSelection(int[] bands, double[] min, double[] max) {
  public BandSelection {
    if (bands.length != 3 || min.length != 3 || max.length != 3) {
      throw new IllegalArgumentException("a band selection needs 3 bands and 3 ranges");
    }
    for (int i = 0; i < 3; i++) {
      if (bands[i] < 0) {
        throw new IllegalArgumentException("band index must be >= 0, got " + bands[i]);
      }
      if (!Double.isFinite(min[i]) || !Double.isFinite(max[i])) {
        // an infinite end maps every value to 0 or 255 (or NaN): a black or white image, not a band
        throw new IllegalArgumentException("value range must be finite, got " + min[i] + ":" + max[i]);
      }
      if (!(max[i] > min[i])) {
        throw new IllegalArgumentException("value range must have max > min, got " + min[i] + ":" + max[i]);
      }
    }
    bands = bands.clone();
    min = min.clone();
    max = max.clone();
  }

  /** The same range for all three bands. */
  public static BandSelection of(int r, int g, int b, double min, double max) {
    return new BandSelection(new int[] {r, g, b}, new double[] {min, min, min}, new double[] {max, max, max});
  }

  /** Parses {@code "R,G,B:MIN:MAX"} or {@code "R,G,B:MIN:MAX,MIN:MAX,MIN:MAX"} (bands 0-based). */
  public static BandSelection parse(String text) {
    String usage = "band selection must look like 3,2,1:0:3000 (0-based bands R,G,B : min : max), got '" + text + "'";
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(usage);
    }
    try {
      int[] bands = Arrays.stream(text.substring(0, colon).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
      String[] ranges = text.substring(colon + 1).split(",");
      if (bands.length != 3 || (ranges.length != 1 && ranges.length != 3)) {
        throw new IllegalArgumentException(usage);
      }
      double[] min = new double[3];
      double[] max = new double[3];
      for (int i = 0; i < 3; i++) {
        String[] mm = ranges[ranges.length == 1 ? 0 : i].split(":");
        if (mm.length != 2) {
          throw new IllegalArgumentException(usage);
        }
        min[i] = Double.parseDouble(mm[0].trim());
        max[i] = Double.parseDouble(mm[1].trim());
      }
      return new BandSelection(bands, min, max);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(usage, e);
    }
  }

  /** Maps one value of output channel {@code c} to 0..255. */
  int toByte(int c, double v) {
    double scaled = Math.rint(255.0 * (v - min[c]) / (max[c] - min[c]));
    return scaled <= 0 || Double.isNaN(scaled) ? 0 : scaled >= 255 ? 255 : (int) scaled;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BandSelection s && Arrays.equals(s.bands, bands) && Arrays.equals(s.min, min)
        && Arrays.equals(s.max, max);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bands) * 31 + Arrays.hashCode(min) * 17 + Arrays.hashCode(max);
  }

  @Override
  public String toString() {
    return bands[0] + "," + bands[1] + "," + bands[2] + ":" + min[0] + ":" + max[0] + "," + min[1] + ":" + max[1]
        + "," + min[2] + ":" + max[2];
  }
}

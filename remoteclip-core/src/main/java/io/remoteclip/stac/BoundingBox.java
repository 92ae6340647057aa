package io.remoteclip.stac;

import java.util.Locale;

/**
 * A WGS84 longitude/latitude box as STAC writes it, {@code west, south, east, north}; {@code west > east} is a
 * box crossing the antimeridian.
 */
public record BoundingBox(double west, double south, double east, double north) {
  public BoundingBox {
    if (!(west >= -180 && west <= 180 && east >= -180 && east <= 180 && south >= -90 && north <= 90
        && south <= north)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bounding box %s,%s,%s,%s: need west and east in [-180, 180], -90 <= south <= north <= 90",
          num(west), num(south), num(east), num(north)));
    }
  }

  /** {@code "W,S,E,N"} as the command line and STAC API GET requests write it (parsed as {@code --bbox} is). */
  public static BoundingBox parse(String text) {
    io.remoteclip.geo.LonLatBox b = io.remoteclip.geo.LonLatBox.parse(text);
    return new BoundingBox(b.west(), b.south(), b.east(), b.north());
  }

  /** {@code [west, south, east, north]}. */
  public double[] toArray() {
    return new double[] {west, south, east, north};
  }

  /** Whether the two boxes share a point (touching edges count), antimeridian crossings included. */
  public boolean intersects(BoundingBox o) {
    if (o.south > north || o.north < south) {
      return false;
    }
    for (double[] a : longitudeRanges()) {
      for (double[] b : o.longitudeRanges()) {
        if (a[0] <= b[1] && b[0] <= a[1]) {
          return true;
        }
      }
    }
    return false;
  }

  private double[][] longitudeRanges() {
    return west <= east ? new double[][] {{west, east}} : new double[][] {{west, 180}, {-180, east}};
  }

  @Override
  public String toString() {
    return num(west) + "," + num(south) + "," + num(east) + "," + num(north);
  }

  /** A coordinate without a trailing ".0" when it is whole. */
  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}

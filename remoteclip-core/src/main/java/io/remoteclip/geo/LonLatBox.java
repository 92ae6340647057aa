package io.remoteclip.geo;

import java.util.Locale;
import org.opengis.referencing.operation.TransformException;

/**
 * A WGS84 longitude/latitude box in degrees, {@code W,S,E,N} as {@code --bbox} and STAC write it ({@code west >
 * east}: a box crossing the antimeridian), that keeps the windows of a grid whose footprints intersect it
 * (only those are then read). Serializable: Spark tasks select the windows of the scenes they read.
 */
public record LonLatBox(double west, double south, double east, double north) implements java.io.Serializable {
  public LonLatBox {
    if (!(west >= -180 && west <= 180 && east >= -180 && east <= 180 && south >= -90 && north <= 90
        && south <= north)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bounding box %s,%s,%s,%s: need west and east in [-180, 180], -90 <= south <= north <= 90",
          west, south, east, north));
    }
  }

  /** Whether the box crosses the antimeridian (west > east). */
  public boolean crossesAntimeridian() {
    return west > east;
  }

  /** {@code "minLon,minLat,maxLon,maxLat"} (W,S,E,N). */
  public static LonLatBox parse(String text) {
    String[] parts = text.split(",");
    if (parts.length != 4) {
      throw new IllegalArgumentException("bounding box \"" + text + "\": expected minLon,minLat,maxLon,maxLat");
    }
    double[] v = new double[4];
    for (int i = 0; i < 4; i++) {
      try {
        v[i] = Double.parseDouble(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bounding box \"" + text + "\": \"" + parts[i].strip() + "\" is not a number");
      }
    }
    return new LonLatBox(v[0], v[1], v[2], v[3]);
  }

  /**
   * Whether the WGS84 bounds of {@code footprint} (which must be georeferenced) overlap this box: their
   * interiors meet, so a window that only touches an edge of the box is left out (a box of zero width or
   * height, a point, keeps the windows it lies in).
   */
  public boolean intersects(Footprint footprint) {
    double[] b = footprint.lonLatBounds();
    boolean lon = crossesAntimeridian() ? overlap(b[0], b[2], west, 180) || overlap(b[0], b[2], -180, east)
        : overlap(b[0], b[2], west, east);
    return lon && overlap(b[1], b[3], south, north);
  }

  /** Open intervals meet; a box of zero width (a point, a line) counts where it lies on or inside. */
  private static boolean overlap(double lo, double hi, double boxLo, double boxHi) {
    return boxLo == boxHi ? lo <= boxLo && boxLo <= hi : lo < boxHi && hi > boxLo;
  }

  /** The indices, in grid order, of the windows of {@code grid} over a scene georeferenced by {@code geo} that meet this box. */
  public int[] windowsOf(WindowGrid grid, Georeferencing geo) throws TransformException {
    int[] keep = new int[grid.count()];
    int n = 0;
    for (int i = 0; i < grid.count(); i++) {
      if (intersects(Footprint.of(grid.window(i), geo))) {
        keep[n++] = i;
      }
    }
    return java.util.Arrays.copyOf(keep, n);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s,%s,%s,%s", west, south, east, north);
  }
}

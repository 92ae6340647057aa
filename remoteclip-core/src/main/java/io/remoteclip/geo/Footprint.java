package io.remoteclip.geo;

import java.awt.Rectangle;
import org.opengis.referencing.operation.TransformException;

/**
 * The ground footprint of a pixel window: its four corners in the scene's native CRS and in WGS84, in the
 * order upper-left, upper-right, lower-right, lower-left of the pixel grid. Without georeferencing both are
 * null and only the pixel window is known.
 *
 * @param window the pixel window (column, row, width, height)
 * @param crs the native CRS's name ("EPSG:32633"), null without georeferencing
 * @param nativeCorners [4][x, y]
 * @param lonLatCorners [4][longitude, latitude] in degrees
 */
public record Footprint(Rectangle window, String crs, double[][] nativeCorners, double[][] lonLatCorners) {
  /** The footprint of {@code window} under {@code geo} (null: pixel coordinates only). */
  public static Footprint of(Rectangle window, Georeferencing geo) throws TransformException {
    if (geo == null) {
      return new Footprint(new Rectangle(window), null, null, null);
    }
    double[][] grid = {
      {window.x, window.y}, {window.x + window.width, window.y},
      {window.x + window.width, window.y + window.height}, {window.x, window.y + window.height}};
    double[][] xy = new double[4][];
    double[][] lonLat = new double[4][];
    for (int i = 0; i < 4; i++) {
      xy[i] = geo.toCrs(grid[i][0], grid[i][1]);
      lonLat[i] = geo.toWgs84(xy[i][0], xy[i][1]);
    }
    return new Footprint(new Rectangle(window), geo.crsName(), xy, lonLat);
  }

  /**
   * The footprint of a whole image file: a georeferenced (Geo)TIFF's corners, else (any other image, a TIFF
   * without georeferencing or that the scene reader cannot open) its size in pixels only.
   */
  public static Footprint ofImage(java.nio.file.Path file) throws java.io.IOException, io.remoteclip.DataFormatException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".tif") || name.endsWith(".tiff")) {
      try (Scene scene = Scene.open(file)) {
        return of(new Rectangle(0, 0, scene.width(), scene.height()), scene.georeferencing().orElse(null));
      } catch (TransformException e) {
        throw new io.remoteclip.DataFormatException(file + ": cannot reproject its corners to WGS84: " + e.getMessage(), e);
      } catch (io.remoteclip.DataFormatException e) {
        // pixels are the decoder's business (it read them): the footprint is then only the size
      }
    }
    int[] size = io.remoteclip.image.ImageDecoder.size(io.remoteclip.image.ImageSource.of(file));
    return new Footprint(new Rectangle(0, 0, size[0], size[1]), null, null, null);
  }

  public boolean isGeoreferenced() {
    return lonLatCorners != null;
  }

  /**
   * The closed WGS84 ring counter-clockwise, as RFC 7946 wants exterior rings: five positions, the first
   * repeated at the end.
   */
  public double[][] lonLatRing() {
    return ring(lonLatCorners);
  }

  /** The closed native ring, in the same vertex order as {@link #lonLatRing()}. */
  public double[][] nativeRing() {
    return ring(nativeCorners, counterClockwise(lonLatCorners));
  }

  /** [minLon, minLat, maxLon, maxLat]. */
  public double[] lonLatBounds() {
    double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (double[] p : lonLatCorners) {
      b[0] = Math.min(b[0], p[0]);
      b[1] = Math.min(b[1], p[1]);
      b[2] = Math.max(b[2], p[0]);
      b[3] = Math.max(b[3], p[1]);
    }
    return b;
  }

  private static double[][] ring(double[][] corners) {
    return ring(corners, counterClockwise(corners));
  }

  private static double[][] ring(double[][] corners, boolean keepOrder) {
    double[][] out = new double[5][];
    for (int i = 0; i < 4; i++) {
      out[i] = corners[keepOrder ? i : (4 - i) % 4].clone();
    }
    out[4] = out[0].clone();
    return out;
  }

  /** Shoelace sign: positive area means counter-clockwise in a right-handed (x east, y north) plane. */
  private static boolean counterClockwise(double[][] c) {
    double area = 0;
    for (int i = 0; i < 4; i++) {
      double[] a = c[i];
      double[] b = c[(i + 1) % 4];
      area += a[0] * b[1] - b[0] * a[1];
    }
    return area > 0;
  }
}

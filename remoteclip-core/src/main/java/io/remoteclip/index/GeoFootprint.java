package io.remoteclip.index;

import io.remoteclip.DataFormatException;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.Scene;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.opengis.referencing.operation.TransformException;

/**
 * The ground footprint of a GeoTIFF: CRS (EPSG code) and bounds in that CRS's units.
 *
 * <p>Read by {@link Scene} (Apache SIS) without decoding pixels: classic and BigTIFF, tie point + scale or a
 * rotated ModelTransformation (the bounds are then those of the rotated rectangle's corners), PixelIsPoint
 * shifted by half a pixel as GDAL reads it. WGS84 footprints of windows come from {@link Footprint}.
 *
 * @param epsg EPSG code of the projected or geographic CRS, 0 when the CRS has none
 */
public record GeoFootprint(int epsg, double minX, double minY, double maxX, double maxY, double[] lonLat) {
  /**
   * A footprint without a computed WGS84 box: a WGS84 one is its own, any other has none (geographic filters
   * then pass it by).
   */
  public GeoFootprint(int epsg, double minX, double minY, double maxX, double maxY) {
    this(epsg, minX, minY, maxX, maxY, epsg == 4326 ? new double[] {minX, minY, maxX, maxY} : null);
  }

  public GeoFootprint {
    if (lonLat != null && lonLat.length != 4) {
      throw new IllegalArgumentException("WGS84 bounds need 4 numbers (minLon, minLat, maxLon, maxLat), got " + lonLat.length);
    }
    lonLat = lonLat == null ? null : lonLat.clone();
  }

  /** WGS84 {@code minLon, minLat, maxLon, maxLat} of the footprint's corners, or null when not reprojectable. */
  @Override
  public double[] lonLat() {
    return lonLat == null ? null : lonLat.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeoFootprint g && g.epsg == epsg && Double.compare(g.minX, minX) == 0
        && Double.compare(g.minY, minY) == 0 && Double.compare(g.maxX, maxX) == 0 && Double.compare(g.maxY, maxY) == 0
        && java.util.Arrays.equals(g.lonLat, lonLat);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(epsg, minX, minY, maxX, maxY, java.util.Arrays.hashCode(lonLat));
  }
  /** "EPSG:32611", or "unknown" for a CRS without an EPSG code. */
  public String crs() {
    return epsg > 0 ? "EPSG:" + epsg : "unknown";
  }

  /** The bounds as a closed WKT polygon (counter-clockwise from the lower-left corner), full double precision. */
  public String toWkt() {
    String a = minX + " " + minY;
    return "POLYGON ((" + a + ", " + maxX + " " + minY + ", " + maxX + " " + maxY + ", " + minX + " " + maxY + ", " + a + "))";
  }

  /**
   * The footprint {@link #toWkt()} wrote, with {@link #crs()}'s text ("EPSG:n" or "unknown").
   *
   * @throws IllegalArgumentException for any other WKT (only axis-aligned boxes are footprints)
   */
  public static GeoFootprint fromWkt(String wkt, String crs) {
    String w = wkt.strip();
    if (!w.startsWith("POLYGON ((") || !w.endsWith("))")) {
      throw new IllegalArgumentException("footprint \"" + wkt + "\" is not a WKT POLYGON");
    }
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (String pt : w.substring(10, w.length() - 2).split(",")) {
      String[] xy = pt.strip().split("\\s+");
      if (xy.length != 2) {
        throw new IllegalArgumentException("footprint \"" + wkt + "\": point \"" + pt.strip() + "\" is not \"x y\"");
      }
      double x = Double.parseDouble(xy[0]);
      double y = Double.parseDouble(xy[1]);
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    int epsg = crs != null && crs.startsWith("EPSG:") ? Integer.parseInt(crs.substring(5)) : 0;
    return new GeoFootprint(epsg, minX, minY, maxX, maxY);
  }

  /** {@link #fromWkt(String, String)} with the WGS84 box stored beside it ({@code lonLat} may be null). */
  public static GeoFootprint fromWkt(String wkt, String crs, double[] lonLat) {
    GeoFootprint f = fromWkt(wkt, crs);
    return lonLat == null ? f : new GeoFootprint(f.epsg(), f.minX(), f.minY(), f.maxX(), f.maxY(), lonLat);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s [%.6f, %.6f, %.6f, %.6f]", crs(), minX, minY, maxX, maxY);
  }

  /** The footprint of a pixel window of a georeferenced scene: native bounds of its corners and their WGS84 box. */
  public static GeoFootprint of(Rectangle window, Georeferencing geo) throws TransformException {
    return of(Footprint.of(window, geo));
  }

  /** The native bounds and WGS84 box of a georeferenced footprint's corners. */
  public static GeoFootprint of(Footprint fp) {
    if (!fp.isGeoreferenced()) {
      throw new IllegalArgumentException("footprint of pixel window " + fp.window() + " has no georeferencing");
    }
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] c : fp.nativeCorners()) {
      minX = Math.min(minX, c[0]);
      minY = Math.min(minY, c[1]);
      maxX = Math.max(maxX, c[0]);
      maxY = Math.max(maxY, c[1]);
    }
    int epsg = fp.crs().matches("EPSG:\\d+") ? Integer.parseInt(fp.crs().substring(5)) : 0;
    return new GeoFootprint(epsg, minX, minY, maxX, maxY, fp.lonLatBounds());
  }

  /**
   * The footprint of {@code file}, or empty when it is not a TIFF or carries no georeferencing the referencing
   * library understands. A damaged TIFF also gives empty: pixels are the decoder's business.
   */
  public static Optional<GeoFootprint> read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".tif") && !name.endsWith(".tiff")) {
      return Optional.empty();
    }
    try (Scene scene = Scene.open(file)) {
      Georeferencing geo = scene.georeferencing().orElse(null);
      if (geo == null) {
        return Optional.empty();
      }
      return Optional.of(of(new Rectangle(0, 0, scene.width(), scene.height()), geo));
    } catch (DataFormatException | TransformException e) {
      return Optional.empty();
    }
  }
}

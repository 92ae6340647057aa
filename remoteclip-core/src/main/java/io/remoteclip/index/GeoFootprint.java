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
public record GeoFootprint(int epsg, double minX, double minY, double maxX, double maxY) {
  /** "EPSG:32611", or "unknown" for a CRS without an EPSG code. */
  public String crs() {
    return epsg > 0 ? "EPSG:" + epsg : "unknown";
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s [%.6f, %.6f, %.6f, %.6f]", crs(), minX, minY, maxX, maxY);
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
      double[][] corners = Footprint.of(new Rectangle(0, 0, scene.width(), scene.height()), geo).nativeCorners();
      double minX = Double.POSITIVE_INFINITY;
      double minY = Double.POSITIVE_INFINITY;
      double maxX = Double.NEGATIVE_INFINITY;
      double maxY = Double.NEGATIVE_INFINITY;
      for (double[] c : corners) {
        minX = Math.min(minX, c[0]);
        minY = Math.min(minY, c[1]);
        maxX = Math.max(maxX, c[0]);
        maxY = Math.max(maxY, c[1]);
      }
      return Optional.of(new GeoFootprint(geo.epsg().orElse(0), minX, minY, maxX, maxY));
    } catch (DataFormatException | TransformException e) {
      return Optional.empty();
    }
  }
}

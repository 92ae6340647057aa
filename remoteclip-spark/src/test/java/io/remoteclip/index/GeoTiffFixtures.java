package io.remoteclip.index;

import java.nio.ByteOrder;
import java.nio.file.Path;

/** Opens core's GeoTIFF test writer (package-private there) to the Spark tests. */
public final class GeoTiffFixtures {
  private GeoTiffFixtures() {}

  /** A w x h GeoTIFF whose upper-left corner is (x0, y0) in EPSG {@code epsg}, square pixels of {@code pixel}. */
  public static void write(Path file, int w, int h, double x0, double y0, double pixel, int epsg) throws Exception {
    GeoTiffs.write(file, ByteOrder.LITTLE_ENDIAN, w, h, 1, x0, y0, pixel, epsg, false);
  }
}

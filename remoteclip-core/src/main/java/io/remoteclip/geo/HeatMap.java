package io.remoteclip.geo;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.geom.AffineTransform;
import java.awt.image.BandedSampleModel;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferFloat;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes window scores as a float32 GeoTIFF, one band per query or label and one cell per window position,
 * georeferenced so that it lies on the scene (cell = stride square around the window's centre). Windows
 * that were not scanned are NaN.
 */
public final class HeatMap {
  private HeatMap() {}

  /**
   * Writes {@code scores[window][band]} on {@code grid} to {@code file}.
   *
   * @param geo the scene's georeferencing, null for a plain TIFF in scene-pixel space
   * @return a warning when the georeferencing could not be written in full (CRS without an EPSG code), else null
   */
  public static String write(Path file, WindowGrid grid, float[][] scores, int bands, Georeferencing geo)
      throws IOException {
    int w = grid.columns();
    int h = grid.rows();
    float[][] banks = new float[bands][w * h];
    for (int i = 0; i < scores.length; i++) {
      for (int b = 0; b < bands; b++) {
        banks[b][i] = scores[i] == null ? Float.NaN : scores[i][b]; // not scanned (outside --bbox)
      }
    }
    var sm = new BandedSampleModel(DataBuffer.TYPE_FLOAT, w, h, bands);
    WritableRaster raster = Raster.createWritableRaster(sm, new DataBufferFloat(banks, w * h), null);
    BufferedImage image = new BufferedImage(colorModel(bands), raster, false, null);
    GeoTiffWriter.Tags tags = null;
    String warning = null;
    if (geo != null) {
      AffineTransform t = geo.gridToCrs();
      t.concatenate(grid.cellToPixel());
      int epsg = geo.epsg().orElse(0);
      if (epsg == 0) {
        warning = "heat map written without a CRS: " + geo.crsName() + " has no EPSG code";
      }
      tags = new GeoTiffWriter.Tags(t, epsg, geo.isGeographic());
    }
    GeoTiffWriter.write(file, image, List.of(), tags, GeoTiffWriter.Options.striped());
    return warning;
  }

  private static ComponentColorModel colorModel(int bands) {
    if (bands == 1) {
      return new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false, Transparency.OPAQUE,
          DataBuffer.TYPE_FLOAT);
    }
    // No colour space of n float components: a generic one keeps the plugin writing n samples per pixel.
    ColorSpace cs = new java.awt.color.ColorSpace(ColorSpace.TYPE_GRAY + 0, bands) {
      @Override
      public float[] toRGB(float[] v) {
        return new float[] {v[0], v[0], v[0]};
      }

      @Override
      public float[] fromRGB(float[] rgb) {
        return new float[bands];
      }

      @Override
      public float[] toCIEXYZ(float[] v) {
        return new float[] {v[0], v[0], v[0]};
      }

      @Override
      public float[] fromCIEXYZ(float[] xyz) {
        return new float[bands];
      }
    };
    return new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
  }
}

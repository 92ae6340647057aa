package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.awt.image.Raster;

/** Builds an RGB image from three bands of any raster according to a {@link BandSelection}. */
final class BandSelector {
  private BandSelector() {}

  static DecodedImage apply(String file, Raster r, BandSelection sel) throws DataFormatException {
    int n = r.getNumBands();
    for (int b : sel.bands()) {
      if (b >= n) {
        throw new DataFormatException(file + ": band " + b + " requested but the image has " + n
            + " band(s) (0.." + (n - 1) + ")");
      }
    }
    int w = r.getWidth();
    int h = r.getHeight();
    byte[] out = new byte[w * h * 3];
    for (int c = 0; c < 3; c++) {
      double[] v = Rasters.doubles(r, sel.bands()[c]);
      for (int i = 0; i < v.length; i++) {
        out[3 * i + c] = (byte) sel.toByte(c, v[i]);
      }
    }
    return DecodedImage.of8Bit(ImageMode.RGB, w, h, out);
  }

  /** The message for a raster that has no RGB reading without a selection. */
  static DataFormatException needed(String file, String what, int bands, int maxValue) {
    String example = bands >= 3 ? "2,1,0:0:" + maxValue : "0,0,0:0:" + maxValue;
    return new DataFormatException(file + ": " + what + " has no RGB equivalent: choose three bands and a value range"
        + " (BandSelection \"R,G,B:MIN:MAX\", 0-based bands, e.g. " + example + ")");
  }
}

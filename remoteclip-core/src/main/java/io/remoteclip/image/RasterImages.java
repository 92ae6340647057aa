package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Maps raw raster samples (a window of a scene) to the Pillow mode the same pixels saved as a TIFF would
 * decode to, so that a window is encoded exactly as the file of that crop: unsigned 8-bit 1 band → L, palette →
 * P, 3 bands → RGB, 4 bands with alpha → RGBA, unsigned 16-bit 1 band → I. Anything else needs a
 * {@link BandSelection}, which is applied as {@link ImageDecoder} applies it to files.
 */
public final class RasterImages {
  private RasterImages() {}

  /**
   * The image of {@code r} (whose origin need not be 0, 0). {@code source} names the file or URI in messages; {@code
   * colors} may be null (no palette, no alpha).
   */
  public static DecodedImage of(String source, Raster r, ColorModel colors, BandSelection bands) throws DataFormatException {
    if (r.getMinX() != 0 || r.getMinY() != 0) {
      r = r.createTranslatedChild(0, 0);
    }
    if (bands != null) {
      return BandSelector.apply(source, r, bands);
    }
    int n = r.getNumBands();
    int type = r.getDataBuffer().getDataType();
    int bits = r.getSampleModel().getSampleSize(0);
    int w = r.getWidth();
    int h = r.getHeight();
    if (type == DataBuffer.TYPE_BYTE && bits == 8) {
      if (n == 1 && colors instanceof IndexColorModel icm) {
        return DecodedImage.ofPalette(w, h, Rasters.bytes(r, new int[] {0}, 0), palette(icm));
      }
      if (n == 1) {
        return DecodedImage.of8Bit(ImageMode.L, w, h, Rasters.bytes(r, new int[] {0}, 0));
      }
      if (n == 3) {
        return DecodedImage.of8Bit(ImageMode.RGB, w, h, Rasters.bytes(r, new int[] {0, 1, 2}, 0));
      }
      if (n == 4 && colors != null && colors.hasAlpha()) {
        return DecodedImage.of8Bit(ImageMode.RGBA, w, h, Rasters.bytes(r, new int[] {0, 1, 2, 3}, 0));
      }
    }
    if (type == DataBuffer.TYPE_USHORT && n == 1) {
      return DecodedImage.ofInts(w, h, Rasters.ints(r, 0));
    }
    String kind = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE ? "float " + bits + "-bit"
        : type == DataBuffer.TYPE_SHORT || type == DataBuffer.TYPE_INT ? "signed " + bits + "-bit" : bits + "-bit";
    int max = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE ? 1 : bits >= 31 ? Integer.MAX_VALUE
        : (1 << bits) - 1;
    throw BandSelector.needed(source, "a raster with " + n + " band(s) of " + kind + " samples", n, max);
  }

  private static byte[] palette(IndexColorModel icm) {
    byte[] rgb = new byte[768];
    for (int i = 0; i < Math.min(256, icm.getMapSize()); i++) {
      rgb[3 * i] = (byte) icm.getRed(i);
      rgb[3 * i + 1] = (byte) icm.getGreen(i);
      rgb[3 * i + 2] = (byte) icm.getBlue(i);
    }
    return rgb;
  }
}

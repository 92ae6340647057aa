package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;

/**
 * TIFF (uncompressed, LZW, Deflate, PackBits, JPEG as the JDK plugin reads them) mapped to Pillow's modes:
 * 8-bit gray → L (WhiteIsZero inverted), palette → P (colour map >> 8), RGB → RGB, RGB + extra sample →
 * RGBA, separated → CMYK, 1-bit → 1, 16-bit single band → I. Anything else (16-bit RGB, 4+ bands that are
 * not RGBA/CMYK, float or 32-bit samples) needs a {@link BandSelection}.
 */
final class TiffReader {
  private TiffReader() {}

  static DecodedImage read(String file, ImageReader reader, BandSelection bands, ImageReadParam param) throws DataFormatException, IOException {
    IIOMetadata md = reader.getImageMetadata(0);
    TIFFDirectory dir = TIFFDirectory.createFromMetadata(md);
    int photometric = intField(dir, BaselineTIFFTagSet.TAG_PHOTOMETRIC_INTERPRETATION, 1);
    int spp = intField(dir, BaselineTIFFTagSet.TAG_SAMPLES_PER_PIXEL, 1);
    int bits = intField(dir, BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE, 1);
    int sampleFormat = intField(dir, BaselineTIFFTagSet.TAG_SAMPLE_FORMAT, 1);
    // The JDK TIFF plugin cannot readRaster; the image's raster holds the stored samples unconverted.
    Raster r = reader.read(0, param).getRaster();
    if (bands != null) {
      return BandSelector.apply(file, r, bands);
    }
    int w = r.getWidth();
    int h = r.getHeight();
    boolean unsigned = sampleFormat == 1;
    if (unsigned && bits == 8) {
      if (spp == 1 && photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_PALETTE_COLOR) {
        return DecodedImage.ofPalette(w, h, Rasters.bytes(r, new int[] {0}, 0), colorMap(file, dir));
      }
      if (spp == 1) {
        byte[] px = Rasters.bytes(r, new int[] {0}, 0);
        if (photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_WHITE_IS_ZERO) {
          for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ~px[i];
          }
        }
        return DecodedImage.of8Bit(ImageMode.L, w, h, px);
      }
      if (spp == 2 && photometric <= 1) {
        return DecodedImage.of8Bit(ImageMode.LA, w, h, Rasters.bytes(r, new int[] {0, 1}, 0));
      }
      if (spp == 3 && photometric != BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_CMYK) {
        return DecodedImage.of8Bit(ImageMode.RGB, w, h, Rasters.bytes(r, new int[] {0, 1, 2}, 0));
      }
      if (spp == 4 && photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_CMYK) {
        return DecodedImage.of8Bit(ImageMode.CMYK, w, h, Rasters.bytes(r, new int[] {0, 1, 2, 3}, 0));
      }
      if (spp == 4 && photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_RGB) {
        return DecodedImage.of8Bit(ImageMode.RGBA, w, h, Rasters.bytes(r, new int[] {0, 1, 2, 3}, 0));
      }
    }
    if (unsigned && bits == 1 && spp == 1) {
      byte[] px = Rasters.bytes(r, new int[] {0}, 0);
      boolean whiteIsZero = photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_WHITE_IS_ZERO;
      for (int i = 0; i < px.length; i++) {
        px[i] = (byte) (((px[i] != 0) != whiteIsZero) ? 255 : 0);
      }
      return DecodedImage.of8Bit(ImageMode.ONE, w, h, px);
    }
    if (unsigned && bits == 16 && spp == 1) {
      return DecodedImage.ofInts(w, h, Rasters.ints(r, 0));
    }
    String kind = (sampleFormat == 3 ? "float " : sampleFormat == 2 ? "signed " : "") + bits + "-bit";
    int max = sampleFormat == 3 ? 1 : bits >= 31 ? Integer.MAX_VALUE : (1 << bits) - 1;
    throw BandSelector.needed(file, "a TIFF with " + spp + " band(s) of " + kind + " samples", spp, max);
  }

  private static int intField(TIFFDirectory dir, int tag, int dflt) {
    TIFFField f = dir.getTIFFField(tag);
    return f == null ? dflt : f.getAsInt(0);
  }

  private static byte[] colorMap(String file, TIFFDirectory dir) throws DataFormatException {
    TIFFField f = dir.getTIFFField(BaselineTIFFTagSet.TAG_COLOR_MAP);
    if (f == null) {
      throw new DataFormatException(file + ": corrupt TIFF: palette image without a ColorMap");
    }
    int n = f.getCount() / 3;
    byte[] rgb = new byte[768];
    for (int i = 0; i < Math.min(n, 256); i++) {
      for (int c = 0; c < 3; c++) {
        rgb[3 * i + c] = (byte) (f.getAsInt(c * n + i) >> 8);
      }
    }
    return rgb;
  }
}

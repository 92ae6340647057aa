package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

/**
 * BMP in Pillow's modes: palette files → P, or L / 1 when the palette is the identity grey ramp (as {@code
 * BmpImagePlugin} decides); 16/24-bit → RGB; 32-bit → RGBA when the file has an alpha mask, else RGB.
 */
final class BmpReader {
  private BmpReader() {}

  static DecodedImage read(String file, ImageReader reader, BandSelection bands, ImageReadParam param) throws DataFormatException, IOException {
    BufferedImage image = reader.read(0, param);
    if (bands != null) {
      return BandSelector.apply(file, image.getRaster(), bands);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    if (image.getColorModel() instanceof IndexColorModel icm) {
      int colors = icm.getMapSize();
      byte[] pal = new byte[768];
      boolean grey = true;
      for (int i = 0; i < Math.min(colors, 256); i++) {
        int rgb = icm.getRGB(i);
        pal[3 * i] = (byte) (rgb >> 16);
        pal[3 * i + 1] = (byte) (rgb >> 8);
        pal[3 * i + 2] = (byte) rgb;
        int expect = colors == 2 ? i * 255 : i;
        grey &= (rgb & 0xFFFFFF) == (expect << 16 | expect << 8 | expect);
      }
      byte[] idx = Rasters.bytes(image.getRaster(), new int[] {0}, 0);
      if (grey && colors == 2) {
        for (int i = 0; i < idx.length; i++) {
          idx[i] = (byte) (idx[i] != 0 ? 255 : 0);
        }
        return DecodedImage.of8Bit(ImageMode.ONE, w, h, idx);
      }
      if (grey) {
        return DecodedImage.of8Bit(ImageMode.L, w, h, idx);
      }
      return DecodedImage.ofPalette(w, h, idx, pal);
    }
    if (image.getRaster().getNumBands() == 1) {
      return DecodedImage.of8Bit(ImageMode.L, w, h, Rasters.bytes(image.getRaster(), new int[] {0}, 0));
    }
    boolean alpha = image.getColorModel().hasAlpha();
    int c = alpha ? 4 : 3;
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] out = new byte[w * h * c];
    for (int i = 0, o = 0; i < argb.length; i++) {
      int p = argb[i];
      out[o++] = (byte) (p >> 16);
      out[o++] = (byte) (p >> 8);
      out[o++] = (byte) p;
      if (alpha) {
        out[o++] = (byte) (p >>> 24);
      }
    }
    return DecodedImage.of8Bit(alpha ? ImageMode.RGBA : ImageMode.RGB, w, h, out);
  }
}

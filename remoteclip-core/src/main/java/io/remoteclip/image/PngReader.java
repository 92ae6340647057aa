package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import org.w3c.dom.Node;

/**
 * PNG in Pillow's modes ({@code PngImagePlugin._MODES}): gray 1-bit → 1, 2/4/8-bit → L (scaled to 0..255),
 * 16-bit → I (raw); RGB and RGBA at 16 bits keep the high byte, 16-bit gray+alpha becomes RGBA; palette → P with the PLTE
 * entries (missing ones black). A tRNS chunk does not change the mode (Pillow keeps it as info), so the
 * alpha channel the JDK adds for it is dropped. Gamma and ICC chunks are ignored, as in Pillow.
 */
final class PngReader {
  private PngReader() {}

  static DecodedImage read(String file, ImageReader reader, BandSelection bands, ImageReadParam param) throws DataFormatException, IOException {
    Node root = reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
    Node ihdr = child(root, "IHDR");
    String colorType = JpegReader.attr(ihdr, "colorType", "");
    int bitDepth = Integer.parseInt(JpegReader.attr(ihdr, "bitDepth", "8"));
    BufferedImage image = reader.read(0, param);
    Raster r = image.getRaster();
    int w = r.getWidth();
    int h = r.getHeight();
    if (bands != null) {
      return BandSelector.apply(file, r, bands);
    }
    int shift = bitDepth == 16 ? 8 : 0;
    switch (colorType) {
      case "Grayscale": {
        if (bitDepth == 16) {
          return DecodedImage.ofInts(w, h, Rasters.ints(r, 0));
        }
        byte[] px = Rasters.bytes(r, new int[] {0}, 0);
        if (bitDepth < 8) {
          int scale = 255 / ((1 << bitDepth) - 1);
          for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((px[i] & 0xFF) * scale);
          }
          return DecodedImage.of8Bit(bitDepth == 1 ? ImageMode.ONE : ImageMode.L, w, h, px);
        }
        return DecodedImage.of8Bit(ImageMode.L, w, h, px);
      }
      case "RGB":
        return DecodedImage.of8Bit(ImageMode.RGB, w, h, Rasters.bytes(r, new int[] {0, 1, 2}, shift));
      case "RGBAlpha":
        return DecodedImage.of8Bit(ImageMode.RGBA, w, h, Rasters.bytes(r, new int[] {0, 1, 2, 3}, shift));
      case "GrayAlpha":
        if (bitDepth == 16) {
          // Pillow 9.4 opens 16-bit gray+alpha as RGBA (unpacker "LA;16B": high bytes, gray replicated).
          return DecodedImage.of8Bit(ImageMode.RGBA, w, h, Rasters.bytes(r, new int[] {0, 0, 0, 1}, 8));
        }
        return DecodedImage.of8Bit(ImageMode.LA, w, h, Rasters.bytes(r, new int[] {0, 1}, shift));
      case "Palette":
        return DecodedImage.ofPalette(w, h, Rasters.bytes(r, new int[] {0}, 0), palette(root));
      default:
        throw new DataFormatException(file + ": corrupt PNG: unknown colour type " + colorType);
    }
  }

  private static byte[] palette(Node root) {
    Node plte = child(root, "PLTE");
    byte[] rgb = new byte[768];
    if (plte == null) {
      return rgb;
    }
    for (Node e = plte.getFirstChild(); e != null; e = e.getNextSibling()) {
      int i = Integer.parseInt(JpegReader.attr(e, "index", "0"));
      if (i >= 0 && i < 256) {
        rgb[3 * i] = (byte) Integer.parseInt(JpegReader.attr(e, "red", "0"));
        rgb[3 * i + 1] = (byte) Integer.parseInt(JpegReader.attr(e, "green", "0"));
        rgb[3 * i + 2] = (byte) Integer.parseInt(JpegReader.attr(e, "blue", "0"));
      }
    }
    return rgb;
  }

  private static Node child(Node n, String name) {
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (name.equals(c.getNodeName())) {
        return c;
      }
    }
    return null;
  }
}

package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * JPEG through the JDK decoder's raw raster (no colour conversion, so an embedded ICC profile is ignored as
 * Pillow ignores it), followed by libjpeg's own integer colour conversion ({@code jdcolor.c}).
 */
final class JpegReader {
  private static final int[] CR_R = new int[256];
  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    final int scaleBits = 16;
    final int oneHalf = 1 << (scaleBits - 1);
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_R[i] = (fix(1.40200) * x + oneHalf) >> scaleBits;
      CB_B[i] = (fix(1.77200) * x + oneHalf) >> scaleBits;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + oneHalf;
    }
  }

  private JpegReader() {}

  private static int fix(double v) {
    return (int) (v * 65536 + 0.5);
  }

  /** The image in Pillow's mode or, with {@code bands}, three of its (colour-converted) channels as for any raster. */
  static DecodedImage read(String file, ImageReader reader, BandSelection bands, ImageReadParam param)
      throws DataFormatException, IOException {
    DecodedImage image = read(file, reader, param);
    if (bands == null) {
      return image;
    }
    int n = image.channels();
    byte[] px = image.bytes();
    int[] offsets = Rasters.range(n);
    Raster channels = Raster.createInterleavedRaster(new java.awt.image.DataBufferByte(px, px.length), image.width(),
        image.height(), image.width() * n, n, offsets, null);
    return BandSelector.apply(file, channels, bands);
  }

  private static DecodedImage read(String file, ImageReader reader, ImageReadParam param) throws DataFormatException, IOException {
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    IIOMetadata md = reader.getImageMetadata(0);
    Node root = md.getAsTree("javax_imageio_jpeg_image_1.0");
    Raster raster = reader.readRaster(0, param);
    for (String w : warnings) {
      String lower = w.toLowerCase(java.util.Locale.ROOT);
      // libjpeg fills missing data with grey and warns; Pillow refuses such files ("image file is truncated").
      if (lower.contains("premature end") || lower.contains("truncated")) {
        throw new DataFormatException(file + ": corrupt JPEG: truncated (premature end of data)");
      }
    }
    int w = raster.getWidth();
    int h = raster.getHeight();
    int bands = raster.getNumBands();
    boolean jfif = find(root, "app0JFIF") != null;
    Node adobe = find(root, "app14Adobe");
    int transform = adobe == null ? -1 : Integer.parseInt(attr(adobe, "transform", "0"));
    byte[] px = Rasters.bytes(raster, Rasters.range(bands), 0);
    switch (bands) {
      case 1:
        return DecodedImage.of8Bit(ImageMode.L, w, h, px);
      case 3:
        if (isYCbCr(root, jfif, transform)) {
          yccToRgb(px);
        }
        return DecodedImage.of8Bit(ImageMode.RGB, w, h, px);
      case 4:
        if (transform == 2) {
          ycckToCmyk(px);
        }
        if (adobe != null) {
          // Adobe CMYK JPEGs store inverted values; Pillow reads them with rawmode "CMYK;I".
          for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ~px[i];
          }
        }
        return DecodedImage.of8Bit(ImageMode.CMYK, w, h, px);
      default:
        throw new DataFormatException(file + ": corrupt JPEG: " + bands + " colour components");
    }
  }

  /** libjpeg's guess of the colour space of a 3-component file ({@code jdapimin.c default_decompress_parms}). */
  private static boolean isYCbCr(Node root, boolean jfif, int adobeTransform) {
    if (jfif) {
      return true;
    }
    if (adobeTransform >= 0) {
      return adobeTransform != 0;
    }
    List<Node> comps = new ArrayList<>();
    collect(root, "componentSpec", comps);
    if (comps.size() >= 3 && "82".equals(attr(comps.get(0), "componentId", ""))
        && "71".equals(attr(comps.get(1), "componentId", "")) && "66".equals(attr(comps.get(2), "componentId", ""))) {
      return false; // component ids 'R', 'G', 'B'
    }
    return true;
  }

  private static void yccToRgb(byte[] px) {
    for (int i = 0; i < px.length; i += 3) {
      int y = px[i] & 0xFF;
      int cb = px[i + 1] & 0xFF;
      int cr = px[i + 2] & 0xFF;
      px[i] = clamp(y + CR_R[cr]);
      px[i + 1] = clamp(y + ((CB_G[cb] + CR_G[cr]) >> 16));
      px[i + 2] = clamp(y + CB_B[cb]);
    }
  }

  private static void ycckToCmyk(byte[] px) {
    for (int i = 0; i < px.length; i += 4) {
      int y = px[i] & 0xFF;
      int cb = px[i + 1] & 0xFF;
      int cr = px[i + 2] & 0xFF;
      px[i] = clamp(255 - (y + CR_R[cr]));
      px[i + 1] = clamp(255 - (y + ((CB_G[cb] + CR_G[cr]) >> 16)));
      px[i + 2] = clamp(255 - (y + CB_B[cb]));
    }
  }

  private static byte clamp(int v) {
    return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
  }

  private static Node find(Node n, String name) {
    if (name.equals(n.getNodeName())) {
      return n;
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      Node f = find(c, name);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  private static void collect(Node n, String name, List<Node> out) {
    if (name.equals(n.getNodeName())) {
      out.add(n);
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      collect(c, name, out);
    }
  }

  static String attr(Node n, String name, String dflt) {
    NamedNodeMap at = n.getAttributes();
    Node a = at == null ? null : at.getNamedItem(name);
    return a == null ? dflt : a.getNodeValue();
  }
}

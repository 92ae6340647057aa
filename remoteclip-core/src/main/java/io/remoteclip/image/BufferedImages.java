package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.awt.Point;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The bridge to {@code java.awt} for code that draws, crops or writes images (the data tools): files are read
 * through {@link ImageDecoder} (the one decoder) and handed over as {@link BufferedImage}s whose samples are
 * the decoded ones (palette indices stay indices, so label masks keep their class values).
 */
public final class BufferedImages {
  private BufferedImages() {}

  /** {@link ImageDecoder#decode(Path)} as a {@link BufferedImage}. */
  public static BufferedImage read(Path file) throws IOException, DataFormatException {
    return of(ImageDecoder.decode(file));
  }

  /** The same samples as a {@link BufferedImage} (CMYK becomes RGB as Pillow converts it). */
  public static BufferedImage of(DecodedImage im) {
    int w = im.width();
    int h = im.height();
    switch (im.mode()) {
      case ONE: {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        WritableRaster r = out.getRaster();
        byte[] px = im.bytes();
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            r.setSample(x, y, 0, px[y * w + x] == 0 ? 0 : 1);
          }
        }
        return out;
      }
      case P: {
        byte[] pal = im.palette();
        byte[] red = new byte[256];
        byte[] green = new byte[256];
        byte[] blue = new byte[256];
        for (int i = 0; i < 256; i++) {
          red[i] = pal[3 * i];
          green[i] = pal[3 * i + 1];
          blue[i] = pal[3 * i + 2];
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, red, green, blue));
        out.getRaster().setDataElements(0, 0, w, h, im.bytes());
        return out;
      }
      case I: {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = im.ints();
        int[] clamped = new int[v.length];
        for (int i = 0; i < v.length; i++) {
          clamped[i] = Math.max(0, Math.min(65535, v[i]));
        }
        out.getRaster().setPixels(0, 0, w, h, clamped);
        return out;
      }
      case CMYK:
        return interleaved(w, h, PilConvert.toRgb(im), false, false);
      case L:
        return interleaved(w, h, im.bytes(), true, false);
      case LA:
        return interleaved(w, h, im.bytes(), true, true);
      case RGB:
        return interleaved(w, h, im.bytes(), false, false);
      case RGBA:
        return interleaved(w, h, im.bytes(), false, true);
      default:
        throw new IllegalStateException("mode " + im.mode());
    }
  }

  private static BufferedImage interleaved(int w, int h, byte[] samples, boolean gray, boolean alpha) {
    int c = (gray ? 1 : 3) + (alpha ? 1 : 0);
    ColorSpace cs = ColorSpace.getInstance(gray ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    ComponentColorModel cm = new ComponentColorModel(cs, alpha, false,
        alpha ? java.awt.Transparency.TRANSLUCENT : java.awt.Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    int[] offsets = new int[c];
    for (int i = 0; i < c; i++) {
      offsets[i] = i;
    }
    WritableRaster r = Raster.createInterleavedRaster(new DataBufferByte(samples, samples.length), w, h, w * c, c, offsets,
        new Point(0, 0));
    return new BufferedImage(cm, r, false, null);
  }

  /** Writes PNG or JPEG (by {@code format}: "png", "jpg"); JPEG at quality 0.95, alpha dropped. */
  public static void write(BufferedImage image, String format, OutputStream out) throws IOException {
    String fmt = format.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : format.toLowerCase(Locale.ROOT);
    BufferedImage img = image;
    if (fmt.equals("jpg") && (image.getColorModel().hasAlpha() || image.getType() == BufferedImage.TYPE_BYTE_INDEXED
        || image.getType() == BufferedImage.TYPE_CUSTOM)) {
      img = toRgb(image);
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersBySuffix(fmt);
    if (!writers.hasNext()) {
      throw new IOException("no image writer for " + format);
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = imageStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (fmt.equals("jpg")) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
      }
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /**
   * An ImageIO stream over {@code out} that buffers in memory. ImageIO's default buffers in a temporary file, and
   * when {@code out} fails (a full disk) that file's stream is closed twice: an uncaught NullPointerException
   * at exit, and a temporary file on the disk that is already full.
   */
  public static ImageOutputStream imageStream(OutputStream out) {
    return new javax.imageio.stream.MemoryCacheImageOutputStream(out);
  }

  /** Plain 8-bit RGB copy (drops alpha, expands palettes and gray). */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    var g = rgb.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return rgb;
  }
}

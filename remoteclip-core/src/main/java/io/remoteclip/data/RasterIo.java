package io.remoteclip.data;

import io.remoteclip.DataFormatException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * All image reading and writing of the data tools, in one place so that another decoder can replace
 * javax.imageio (PNG, JPEG, TIFF, BMP, GIF built into Java 17). Pixel exactness is not needed here (these
 * images feed captions and hashes, not the model).
 */
public final class RasterIo {
  private RasterIo() {}

  /** Extensions tried, in order, when an annotation names an image without its extension. */
  public static final String[] EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"};

  /** Width and height from the file header, without decoding pixels. */
  public static int[] size(Path file) throws IOException, DataFormatException {
    try (ImageInputStream in = open(file)) {
      ImageReader reader = readerFor(in, file);
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    }
  }

  /** The whole image, as decoded (RGB, RGBA, gray or indexed). */
  public static BufferedImage read(Path file) throws IOException, DataFormatException {
    return read(file, 1);
  }

  /**
   * The image decoded at every {@code step}-th pixel in both axes (fast previews for hashing: the decoder
   * skips the rest).
   */
  public static BufferedImage read(Path file, int step) throws IOException, DataFormatException {
    try (ImageInputStream in = open(file)) {
      ImageReader reader = readerFor(in, file);
      try {
        reader.setInput(in, true, true);
        ImageReadParam param = reader.getDefaultReadParam();
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        return reader.read(0, param);
      } catch (IOException | RuntimeException e) {
        throw new DataFormatException(file + ": cannot decode image: " + e.getMessage(), e);
      } finally {
        reader.dispose();
      }
    }
  }

  /** Writes PNG or JPEG (by {@code format}: "png", "jpg"); JPEG at quality 0.95, alpha dropped. */
  public static void write(BufferedImage image, String format, OutputStream out) throws IOException {
    String fmt = format.toLowerCase(Locale.ROOT).equals("jpeg") ? "jpg" : format.toLowerCase(Locale.ROOT);
    BufferedImage img = image;
    if (fmt.equals("jpg") && (image.getColorModel().hasAlpha() || image.getType() == BufferedImage.TYPE_BYTE_INDEXED)) {
      img = toRgb(image);
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersBySuffix(fmt);
    if (!writers.hasNext()) {
      throw new IOException("no image writer for " + format);
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
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

  /** The image file {@code dir/name}, trying the usual extensions when {@code name} has none that exists. */
  public static Path locate(Path dir, String name) {
    Path direct = dir.resolve(name);
    if (Files.isRegularFile(direct)) {
      return direct;
    }
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    for (String ext : EXTENSIONS) {
      for (String e : new String[] {ext, ext.toUpperCase(Locale.ROOT)}) {
        Path p = dir.resolve(stem + e);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return direct;
  }

  private static ImageInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
    if (in == null) {
      throw new IOException(file + ": cannot open");
    }
    return in;
  }

  private static ImageReader readerFor(ImageInputStream in, Path file) throws IOException, DataFormatException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      in.close();
      throw new DataFormatException(file + ": not an image in a supported format (PNG, JPEG, TIFF, BMP, GIF)");
    }
    return readers.next();
  }
}

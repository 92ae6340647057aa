package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG, TIFF and BMP files into the mode Pillow 9.4's {@code Image.open} gives them, with the
 * same pixel values (no EXIF orientation, no ICC colour management, no gamma).
 *
 * <p>The format is sniffed from the first bytes, not the file name. Decoding uses the JDK's own ImageIO
 * plugins for the compressed data; colour conversion and mode mapping are done here so that the samples are
 * Pillow's: JPEG YCbCr→RGB uses libjpeg's integer tables (the JDK decoder is IJG libjpeg 6b with the ISLOW
 * IDCT and fancy upsampling, which equals libjpeg-turbo 2.1.5 on 4:2:0, 4:2:2, 4:4:4, progressive, grayscale
 * and CMYK files; 4:4:0 JPEGs may differ because libjpeg-turbo's h1v2 fancy upsampling is newer). Thread-safe.
 *
 * <p>Multi-band, 16-bit-per-channel or float TIFFs have no Pillow RGB equivalent: pass a {@link
 * BandSelection}; without one decoding fails with a message saying so. 16-bit single-band rasters become mode
 * {@code I} (raw values), as Pillow opens 16-bit PNGs.
 */
public final class ImageDecoder {
  static final String UNSUPPORTED = "not a supported image (JPEG, PNG, TIFF, BMP)";

  private ImageDecoder() {}

  /** Decodes {@code file}; multi-band rasters fail (use {@link #decode(Path, BandSelection)}). */
  public static DecodedImage decode(Path file) throws DataFormatException, IOException {
    return decode(file, null);
  }

  /**
   * Decodes {@code file}, using {@code bands} (may be null) to make RGB from a multi-band or high-bit-depth
   * raster. A selection given for an ordinary 8-bit image is applied as well.
   *
   * @throws DataFormatException unknown format, corrupt or truncated data, or a raster that needs a selection
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   */
  public static DecodedImage decode(Path file, BandSelection bands) throws DataFormatException, IOException {
    Format format = sniff(file);
    try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
      ImageReader reader = reader(format.imageIoName);
      try {
        reader.setInput(in, true, false);
        return switch (format) {
          case JPEG -> JpegReader.read(file, reader);
          case PNG -> PngReader.read(file, reader, bands);
          case TIFF -> TiffReader.read(file, reader, bands);
          case BMP -> BmpReader.read(file, reader, bands);
        };
      } finally {
        reader.dispose();
      }
    } catch (IIOException e) {
      throw corrupt(file, format, e);
    } catch (RuntimeException e) {
      // ImageIO plugins signal some damaged files with unchecked exceptions (index out of bounds, ...).
      throw corrupt(file, format, e);
    }
  }

  private static DataFormatException corrupt(Path file, Format format, Exception e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())) {
      msg = msg + ": " + cause.getMessage();
    }
    return new DataFormatException(file + ": corrupt " + format + ": " + msg.lines().findFirst().orElse(msg), e);
  }

  enum Format {
    JPEG("jpeg"), PNG("png"), TIFF("tiff"), BMP("bmp");

    final String imageIoName;

    Format(String imageIoName) {
      this.imageIoName = imageIoName;
    }
  }

  static Format sniff(Path file) throws DataFormatException, IOException {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n == 0) {
      throw new DataFormatException(file + ": empty file, " + UNSUPPORTED);
    }
    int b0 = head[0] & 0xFF;
    int b1 = head[1] & 0xFF;
    if (n >= 3 && b0 == 0xFF && b1 == 0xD8 && (head[2] & 0xFF) == 0xFF) {
      return Format.JPEG;
    }
    if (n >= 8 && b0 == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
      return Format.PNG;
    }
    if (n >= 4 && ((b0 == 'I' && b1 == 'I' && head[2] == 42 && head[3] == 0)
        || (b0 == 'M' && b1 == 'M' && head[2] == 0 && head[3] == 42))) {
      return Format.TIFF;
    }
    if (n >= 4 && ((b0 == 'I' && b1 == 'I' && head[2] == 43) || (b0 == 'M' && b1 == 'M' && head[3] == 43))) {
      throw new DataFormatException(file + ": BigTIFF is not supported; convert it to a classic TIFF");
    }
    if (n >= 2 && b0 == 'B' && b1 == 'M') {
      return Format.BMP;
    }
    throw new DataFormatException(file + ": " + UNSUPPORTED);
  }

  /** The JDK's own plugin for the format (other plugins on the class path may decode differently). */
  private static ImageReader reader(String format) {
    ImageReader fallback = null;
    for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format); it.hasNext(); ) {
      ImageReader r = it.next();
      if (r.getClass().getName().startsWith("com.sun.imageio.")) {
        return r;
      }
      if (fallback == null) {
        fallback = r;
      }
    }
    if (fallback == null) {
      throw new IllegalStateException("no ImageIO reader for " + format + " in this JDK");
    }
    return fallback;
  }
}

package io.remoteclip.image;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

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

  /**
   * Images with more pixels are refused from their header, before any pixel is read: Pillow's
   * decompression-bomb limit ({@code 2 * Image.MAX_IMAGE_PIXELS}), about 13400x13400. Larger scenes are
   * meant to be cut into windows first and encoded as {@link ImageSource.Raster}s.
   */
  public static final long MAX_PIXELS = 178_956_970L;

  /**
   * Images whose longer side is more than this many times their shorter side are refused from their header,
   * too: the model's resize makes the shorter side its input size (224 pixels and more), so a 100000x1 strip
   * would become a 22,400,000x224 intermediate. At this ratio a 336-pixel input resizes to 33,600x336.
   */
  public static final int MAX_ASPECT_RATIO = 100;

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
   * @throws ImageTooLargeException more than {@link #MAX_PIXELS} pixels
   * @throws ImageTooElongatedException sides more unequal than {@link #MAX_ASPECT_RATIO}
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   */
  public static DecodedImage decode(Path file, BandSelection bands) throws DataFormatException, IOException {
    return decode(ImageSource.of(file), bands);
  }

  /** Decodes any source as {@link #decode(Path, BandSelection)} decodes files; a raster is returned as is. */
  public static DecodedImage decode(ImageSource source, BandSelection bands) throws DataFormatException, IOException {
    return read(source, bands, 1);
  }

  /**
   * A cheap preview: decodes every {@code s}-th pixel in both axes, {@code s = max(1, floor(min(w, h) / minSide))},
   * so the shorter side keeps at least {@code minSide} pixels (the decoder skips the rest; hashing and
   * thumbnails need no more). Same modes as {@link #decode(ImageSource, BandSelection)}; rasters are returned whole.
   */
  public static DecodedImage decodeReduced(ImageSource source, BandSelection bands, int minSide)
      throws DataFormatException, IOException {
    if (source instanceof ImageSource.Raster r) {
      return r.image();
    }
    int[] wh = size(source);
    return read(source, bands, Math.max(1, Math.min(wh[0], wh[1]) / Math.max(1, minSide)));
  }

  /** Width and height from the header, without decoding pixels. */
  public static int[] size(ImageSource source) throws DataFormatException, IOException {
    if (source instanceof ImageSource.Raster r) {
      return new int[] {r.image().width(), r.image().height()};
    }
    Format format = sniff(source);
    try (ImageInputStream in = open(source)) {
      ImageReader reader = reader(format.imageIoName);
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IIOException | RuntimeException e) {
      throw corrupt(source.name(), format, e);
    }
  }

  private static DecodedImage read(ImageSource source, BandSelection bands, int step)
      throws DataFormatException, IOException {
    if (source instanceof ImageSource.Raster r) {
      return r.image();
    }
    String name = source.name();
    Format format = sniff(source);
    try (ImageInputStream in = open(source)) {
      ImageReader reader = reader(format.imageIoName);
      try {
        reader.setInput(in, true, false);
        checkSize(name, reader.getWidth(0), reader.getHeight(0));
        ImageReadParam param = null;
        if (step > 1) {
          param = reader.getDefaultReadParam();
          param.setSourceSubsampling(step, step, 0, 0);
        }
        return switch (format) {
          case JPEG -> JpegReader.read(name, reader, bands, param);
          case PNG -> PngReader.read(name, reader, bands, param);
          case TIFF -> TiffReader.read(name, reader, bands, param);
          case BMP -> BmpReader.read(name, reader, bands, param);
        };
      } finally {
        reader.dispose();
      }
    } catch (IIOException e) {
      throw corrupt(name, format, e);
    } catch (RuntimeException e) {
      // ImageIO plugins signal some damaged files with unchecked exceptions (index out of bounds, ...).
      throw corrupt(name, format, e);
    }
  }

  private static void checkSize(String name, int width, int height) throws DataFormatException {
    if ((long) width * height > MAX_PIXELS) {
      throw new ImageTooLargeException(name, width, height, MAX_PIXELS);
    }
    if (Math.max(width, height) > (long) MAX_ASPECT_RATIO * Math.min(width, height)) {
      throw new ImageTooElongatedException(name, width, height, MAX_ASPECT_RATIO);
    }
  }

  private static ImageInputStream open(ImageSource source) throws IOException {
    if (source instanceof ImageSource.File f) {
      return new FileImageInputStream(f.path().toFile());
    }
    return new MemoryCacheImageInputStream(new ByteArrayInputStream(((ImageSource.Bytes) source).bytes()));
  }

  private static DataFormatException corrupt(String file, Format format, Exception e) {
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

  static Format sniff(ImageSource source) throws DataFormatException, IOException {
    byte[] head = new byte[8];
    int n;
    if (source instanceof ImageSource.Bytes b) {
      n = Math.min(head.length, b.bytes().length);
      System.arraycopy(b.bytes(), 0, head, 0, n);
    } else {
      try (InputStream in = Files.newInputStream(InputFiles.requireRegular(((ImageSource.File) source).path()))) {
        n = in.readNBytes(head, 0, head.length);
      }
    }
    String file = source.name();
    if (n == 0) {
      throw new DataFormatException(file + ": empty " + (source instanceof ImageSource.File ? "file" : "input") + ", " + UNSUPPORTED);
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

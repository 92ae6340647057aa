package io.remoteclip.spark;

import io.remoteclip.RemoteClipException;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.ImageSource;
import io.remoteclip.geo.Footprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one adapter between Spark rows (file bytes) and the core image code: the bytes are decoded exactly as
 * {@code remoteclip embed} decodes the file (messages name the row's path). The GeoTIFF footprint reader
 * ({@link Footprint#ofImage}) opens files, so a TIFF's bytes also go to a private temporary file for it (other formats need none).
 */
final class ImageBytes {
  /** What the model needs from one image, plus what the table records about it (a GeoTIFF's corners, else null). */
  record Decoded(DecodedImage image, Footprint footprint) {}

  private ImageBytes() {}

  static Decoded decode(byte[] bytes, String path, BandSelection bands) throws IOException, RemoteClipException {
    DecodedImage image = ImageDecoder.decode(ImageSource.of(path, bytes), bands);
    return new Decoded(image, footprint(bytes, path));
  }

  private static Footprint footprint(byte[] bytes, String path) throws IOException {
    String suffix = suffixOf(path);
    if (!suffix.equals(".tif") && !suffix.equals(".tiff")) {
      return null;
    }
    Path tmp = Files.createTempFile("remoteclip-spark-", suffix);
    try {
      Files.write(tmp, bytes);
      Footprint f = Footprint.ofImage(tmp);
      return f.isGeoreferenced() ? f : null;
    } catch (io.remoteclip.DataFormatException e) {
      return null; // pixels are the decoder's business (it read them): no footprint
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** ".tif" for "s3a://b/x/scene.TIF": the extension, lower case. */
  static String suffixOf(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
  }
}

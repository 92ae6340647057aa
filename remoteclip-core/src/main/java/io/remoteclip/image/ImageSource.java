package io.remoteclip.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an image comes from: a file, encoded bytes (an upload, a zip entry, an object store) or an already
 * decoded raster (a window of a scene). Every source has a {@link #name()} that messages start with, so a
 * failure names the input the caller knows.
 */
public sealed interface ImageSource permits ImageSource.File, ImageSource.Bytes, ImageSource.Raster {
  /** What messages call this image (the path for files). */
  String name();

  /** An image file. */
  record File(Path path) implements ImageSource {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String name() {
      return path.toString();
    }
  }

  /** An encoded image (JPEG, PNG, TIFF or BMP bytes); the array is not copied. */
  record Bytes(String name, byte[] bytes) implements ImageSource {
    public Bytes {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** A decoded raster; decoding returns it as is. */
  record Raster(String name, DecodedImage image) implements ImageSource {
    public Raster {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(image, "image");
    }
  }

  static ImageSource of(Path file) {
    return new File(file);
  }

  static ImageSource of(String name, byte[] encoded) {
    return new Bytes(name, encoded);
  }

  /** Reads {@code in} to its end (the caller closes it). */
  static ImageSource of(String name, InputStream in) throws IOException {
    return new Bytes(name, in.readAllBytes());
  }

  static ImageSource of(String name, DecodedImage image) {
    return new Raster(name, image);
  }
}

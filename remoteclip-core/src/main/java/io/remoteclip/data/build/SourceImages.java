package io.remoteclip.data.build;

import io.remoteclip.DataFormatException;
import io.remoteclip.geo.Scene;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.ImageSource;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.remote.RemoteNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;

/**
 * The image an annotation names, local or remote, as the data set builders use it. A remote (Geo)TIFF is sized
 * and tiled through {@link Scene}, by ranges; any other remote image is decoded whole, so it is fetched whole
 * (at most {@link #MAX_BYTES}, as {@code embed} fetches remote images).
 */
public final class SourceImages {
  public static final long MAX_BYTES = io.remoteclip.remote.RasterLocation.MAX_WHOLE_IMAGE_BYTES;

  private SourceImages() {}

  /** Whether the image is there: a regular local file, or a remote object that does not answer 404. */
  public static boolean exists(RasterLocation image) throws IOException {
    if (image instanceof RasterLocation.Local local) {
      return Files.isRegularFile(local.path());
    }
    try {
      image.stat();
      return true;
    } catch (RemoteNotFoundException e) {
      return false;
    }
  }

  /** Width and height, from the header (a remote TIFF's first bytes only). */
  public static int[] size(RasterLocation image) throws IOException, DataFormatException {
    if (image instanceof RasterLocation.Local local) {
      return ImageDecoder.size(ImageSource.of(local.path()));
    }
    if (isTiff(image)) {
      try (Scene scene = Scene.open(image)) {
        return new int[] {scene.width(), scene.height()};
      }
    }
    return ImageDecoder.size(source(image));
  }

  /** The encoded image for the decoder. */
  public static ImageSource source(RasterLocation image) throws IOException {
    return image instanceof RasterLocation.Local local ? ImageSource.of(local.path())
        : ImageSource.of(image.name(), image.readAll(MAX_BYTES));
  }

  /** Copies the encoded image to {@code out}. */
  public static void copy(RasterLocation image, java.nio.file.Path target) throws IOException {
    if (image instanceof RasterLocation.Local local) {
      Files.copy(local.path(), target);
      return;
    }
    byte[] bytes = image.readAll(MAX_BYTES);
    try (OutputStream o = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
      o.write(bytes);
    }
  }

  /** Whether the image starts with a classic or BigTIFF header (four bytes read). */
  public static boolean isTiff(RasterLocation image) throws IOException {
    byte[] h = new byte[4];
    int n = 0;
    try (SeekableByteChannel ch = image.open()) {
      ByteBuffer buf = ByteBuffer.wrap(h);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        n = buf.position();
      }
    }
    return n == 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0)
        || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43)));
  }
}

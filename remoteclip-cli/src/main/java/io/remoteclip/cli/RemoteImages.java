package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.remote.RasterLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The images of {@code embed} and {@code classify} arguments in order: local files and folders as {@link
 * ImageFiles#expand} lists them; {@code http(s)://} and {@code s3://} images fetched whole (an image is decoded
 * whole; at most {@link #MAX_BYTES}) into a private temporary folder, removed on close. Outputs and messages
 * name a fetched image by its URI.
 */
final class RemoteImages implements AutoCloseable {
  static final long MAX_BYTES = RasterLocation.MAX_WHOLE_IMAGE_BYTES;

  private final Path dir;
  private final List<Path> files;
  private final Map<Path, String> uris;

  private RemoteImages(Path dir, List<Path> files, Map<Path, String> uris) {
    this.dir = dir;
    this.files = files;
    this.uris = uris;
  }

  static RemoteImages of(List<RasterLocation> args) throws IOException, DataFormatException {
    List<Path> files = new ArrayList<>();
    List<Path> locals = new ArrayList<>();
    Map<Path, String> uris = new HashMap<>();
    Path dir = null;
    try {
      for (RasterLocation arg : args) {
        if (arg instanceof RasterLocation.Local local) {
          locals.add(local.path());
          files.addAll(ImageFiles.expand(List.of(local.path())));
          continue;
        }
        if (dir == null) {
          dir = Files.createTempDirectory("remoteclip-images-");
        }
        Path f = dir.resolve(uris.size() + "-" + arg.fileName());
        Files.write(f, arg.readAll(MAX_BYTES));
        files.add(f);
        uris.put(f, arg.name());
      }
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
    if (files.isEmpty()) {
      ImageFiles.expandSome(locals); // the usual refusal of folders without images, naming them
    }
    return new RemoteImages(dir, files, uris);
  }

  List<Path> files() {
    return files;
  }

  /** What outputs call {@code file}: its URI when it was fetched, else its path. */
  String name(Path file) {
    return uris.getOrDefault(file, file.toString());
  }

  /** A failure renamed: the URI in place of the fetched copy's path. */
  ImageEncoding.Failure name(ImageEncoding.Failure f) {
    String uri = uris.get(f.file());
    return uri == null ? f : new ImageEncoding.Failure(f.file(), f.message().replace(f.file().toString(), uri));
  }

  @Override
  public void close() throws IOException {
    delete(dir);
  }

  private static void delete(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

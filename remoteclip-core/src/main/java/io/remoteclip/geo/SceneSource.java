package io.remoteclip.geo;

import io.remoteclip.fs.InputFiles;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a scene's bytes come from: the one seam between windowed reading ({@link Scene}) and storage. A local
 * file is {@link #of(Path)}; another store (a Hadoop file system, a web server, an object store) is one small
 * class whose {@link #open()} answers positional reads, so that reading a window costs the reads of the tiles
 * it touches, never the whole file.
 */
public interface SceneSource {
  /** The scene as messages and window keys name it: the path or URI as given. */
  String name();

  /** A new channel over the scene's bytes for random access (reads at any position); the caller closes it. */
  SeekableByteChannel open() throws IOException;

  /**
   * What Apache SIS's {@code StorageConnector} is given to read the TIFF: a new {@link #open()} channel (the
   * store closes it), unless SIS reads the storage better itself (a local {@link Path}; a {@code java.net.URI},
   * which SIS range-reads).
   */
  default Object storage() throws IOException {
    return open();
  }

  static SceneSource of(Path file) {
    return new LocalFile(file);
  }

  /** A file on a local (or mounted) file system, read through its Path. */
  record LocalFile(Path file) implements SceneSource {
    @Override
    public String name() {
      return file.toString();
    }

    @Override
    public SeekableByteChannel open() throws IOException {
      return Files.newByteChannel(InputFiles.requireRegular(file));
    }

    @Override
    public Object storage() {
      return file;
    }
  }
}

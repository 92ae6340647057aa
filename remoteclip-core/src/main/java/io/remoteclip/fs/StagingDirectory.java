package io.remoteclip.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A data set directory built in a hidden sibling ({@code .NAME.tmp-…}) and renamed to its final name only
 * when complete, so a crash or an error leaves either nothing or the previous complete data set under the
 * final name (plus, after a hard crash, a hidden temp directory to delete).
 */
public final class StagingDirectory implements AutoCloseable {
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private boolean committed;

  private StagingDirectory(Path target, Path staging, boolean overwrite) {
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
  }

  /** Starts a build of {@code target}; fails at once when it exists and {@code overwrite} is off. */
  public static StagingDirectory create(Path target, boolean overwrite) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs) && !overwrite) {
      throw new OutputExistsException(abs);
    }
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
    return new StagingDirectory(abs, staging, overwrite);
  }

  /** Where files go while building. */
  public Path path() {
    return staging;
  }

  /** The final location (for absolute paths written into the data set). */
  public Path target() {
    return target;
  }

  /** Moves the finished directory to its final name (replacing an old one when allowed). */
  public void commit() throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      if (!overwrite) {
        throw new FileAlreadyExistsException(target + ": appeared while building; the result is left in " + staging);
      }
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.delete(old);
      Files.move(target, old);
    }
    AtomicFiles.moveAtomically(staging, target);
    committed = true;
    if (old != null) {
      deleteTree(old);
    }
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      deleteTree(staging);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

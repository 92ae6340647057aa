package io.remoteclip.fs;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A data set directory built in a hidden sibling ({@code .NAME.tmp-…}) and renamed to its final name only
 * when complete, so a crash or an error leaves either nothing or the previous complete data set under the
 * final name (plus, after a hard crash, a hidden temp directory to delete). The finished directory holds a
 * {@link #MARKER} naming the command that wrote it; only such a directory (or an empty one) is ever replaced.
 */
public final class StagingDirectory implements AutoCloseable {
  /** The file that marks a directory as this kind of output: its content is the command's name. */
  public static final String MARKER = ".remoteclip-output";

  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final String kind;
  private boolean committed;

  private StagingDirectory(Path target, Path staging, boolean overwrite, String kind) {
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
    this.kind = kind;
  }

  /**
   * Starts a build of {@code target} by the command {@code kind}; fails at once when it exists and
   * {@code overwrite} is off, or when it is something this command did not write ({@link #requireReplaceable}).
   */
  public static StagingDirectory create(Path target, boolean overwrite, String kind) throws IOException, DataFormatException {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs) && !overwrite) {
      throw new OutputExistsException(abs);
    }
    requireReplaceable(abs, kind);
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
    try {
      Files.writeString(staging.resolve(MARKER), kind + "\n");
    } catch (IOException e) {
      deleteTree(staging);
      throw FileErrors.relocated(staging, abs, e);
    }
    return new StagingDirectory(abs, staging, overwrite, kind);
  }

  /**
   * Refuses to replace a {@code target} that is not an empty directory or an earlier output of the same
   * command (its {@link #MARKER} names {@code kind}): {@code --overwrite} must never delete the user's files,
   * as {@code export} keeps to directories holding an earlier export.
   */
  public static void requireReplaceable(Path target, String kind) throws IOException, DataFormatException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new DataFormatException(target + ": exists and is not a directory; choose another output directory");
    }
    Path marker = target.resolve(MARKER);
    if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      String writer = Files.readString(marker).strip();
      if (writer.equals(kind)) {
        return;
      }
      throw new DataFormatException(target + ": holds the output of '" + writer + "', not of '" + kind
          + "'; it is left alone, choose another output directory");
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new DataFormatException(target + ": directory is not empty and was not written by '" + kind + "' (no "
            + MARKER + "); it is left alone, choose another output directory");
      }
    }
  }

  /** Where files go while building. */
  public Path path() {
    return staging;
  }

  /** The final location (for absolute paths written into the data set). */
  public Path target() {
    return target;
  }

  /** {@code e}, raised while building, naming the output the user asked for ({@link FileErrors#relocated}). */
  public IOException named(IOException e) {
    return FileErrors.relocated(staging, target, e);
  }

  /** Moves the finished directory to its final name (replacing an old one when allowed). */
  public void commit() throws IOException, DataFormatException {
    Path old = null;
    if (Files.exists(target)) {
      if (!overwrite) {
        throw new FileAlreadyExistsException(target + ": appeared while building; the result is left in " + staging);
      }
      requireReplaceable(target, kind); // it may have been replaced while this one was built
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

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
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

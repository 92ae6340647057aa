package io.remoteclip.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the complete new content: data go to a
 * temporary sibling, are forced to disk, then renamed over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Body that writes the whole content to {@code out}. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  public static void write(Path target, Writer body) throws IOException {
    requireNotDirectory(target);
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    readableByAll(tmp);
    boolean done = false;
    try {
      try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
          OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
        body.write(out);
        out.flush();
        channel.force(true);
      } catch (IOException e) {
        throw FileErrors.naming(abs, tmp, e);
      }
      moveAtomically(tmp, abs);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Refuses a {@code target} that is a directory, naming it; commands call it before their work, and
   * {@link #write} calls it too, as the final rename would otherwise fail naming the hidden temporary file.
   */
  public static void requireNotDirectory(Path target) throws java.nio.file.FileSystemException {
    if (Files.isDirectory(target)) {
      throw new java.nio.file.FileSystemException(target.toString(), null, "is a directory, not a file");
    }
  }

  /** createTempFile makes owner-only files; outputs should look like any other file the user writes. */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default
    }
  }

  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Renames {@code from} over {@code to}, atomically where the file system allows it. */
  public static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}

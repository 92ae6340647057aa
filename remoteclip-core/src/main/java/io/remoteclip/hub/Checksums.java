package io.remoteclip.hub;

import io.remoteclip.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, with progress for the multi-gigabyte ones. */
public final class Checksums {
  private Checksums() {}

  /** Lower-case hex SHA-256 of the file's bytes. */
  public static String sha256(Path file, ProgressListener progress) throws IOException {
    return sha256(file, file.getFileName().toString(), progress);
  }

  /** As {@link #sha256(Path, ProgressListener)}, reporting progress as "verifying {@code label}". */
  public static String sha256(Path file, String label, ProgressListener progress) throws IOException {
    MessageDigest md = newDigest();
    long size = Files.size(file);
    progress.start("verifying " + label, size);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 20];
      long done = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        done += n;
        progress.update(done);
      }
    } finally {
      progress.finish();
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static String sha256(byte[] data) {
    return HexFormat.of().formatHex(newDigest().digest(data));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}

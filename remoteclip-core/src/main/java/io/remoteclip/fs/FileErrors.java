package io.remoteclip.fs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Write errors that name the file. The JDK's own ("No space left on device", "I/O error writing PNG file!")
 * often name nothing, or a temporary file the user never asked for.
 */
public final class FileErrors {
  private FileErrors() {}

  /**
   * {@code e} as it concerns writing {@code target} (through {@code temp}, which may be null): a
   * {@link FileSystemException} naming {@code target} with the deepest reason ({@code no space left on device})
   * when {@code e} names no file (a bare {@link IOException}, ImageIO's {@code IIOException}) or names
   * {@code temp}; anything else (an input read while writing, malformed data) unchanged.
   */
  public static IOException naming(Path target, Path temp, IOException e) {
    boolean namesNothing = e.getClass() == IOException.class || e instanceof javax.imageio.IIOException
        || e instanceof FileSystemException fse && (fse.getFile() == null || temp != null && Path.of(fse.getFile()).equals(temp));
    if (!namesNothing) {
      return e;
    }
    FileSystemException named = new FileSystemException(target.toString(), null, reason(e));
    named.initCause(e);
    return named;
  }

  /**
   * {@code e} raised while building {@code target} in {@code staging}: a file of the staging directory becomes
   * the same file under {@code target}, an error that names no file (a full disk) names {@code target}.
   */
  public static IOException relocated(Path staging, Path target, IOException e) {
    if (e instanceof FileSystemException fse && fse.getFile() != null) {
      Path file = Path.of(fse.getFile());
      return file.startsWith(staging) ? naming(target.resolve(staging.relativize(file)), file, e) : e;
    }
    return naming(target, null, e);
  }

  /** The innermost message of {@code t}, in the lower case of the other messages ("No space" -> "no space"). */
  static String reason(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : root.getMessage();
    if (m == null || m.isEmpty()) {
      return root.getClass().getSimpleName();
    }
    boolean sentence = m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1));
    return sentence ? m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1) : m;
  }
}

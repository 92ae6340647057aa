package io.remoteclip.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in {@code remoteclip-mini} model shipped in the repository's {@code models/} folder: what tests
 * use when they need a real trained model and must not depend on {@code ../shared}.
 */
public final class BundledModel {
  private BundledModel() {}

  /** {@code <repository>/models/remoteclip-mini}, found from the working directory upwards. */
  public static Path dir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("models/remoteclip-mini");
      if (Files.isRegularFile(candidate.resolve("model.safetensors"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("models/remoteclip-mini not found above " + Path.of("").toAbsolutePath());
  }

  public static Path weights() {
    return dir().resolve("model.safetensors");
  }

  public static Path vocab() {
    return dir().resolve("vocab.txt.gz");
  }

  /** The repository's root (the folder holding {@code models/}). */
  public static Path repository() {
    return dir().getParent().getParent();
  }
}

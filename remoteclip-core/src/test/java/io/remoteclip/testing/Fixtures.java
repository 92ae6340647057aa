package io.remoteclip.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared golden fixtures and real data ({@code ../shared}, or {@code -Dremoteclip.shared=}).
 * Tests that need them call {@link #require} and are skipped, with the path they expected, when absent.
 */
public final class Fixtures {
  private Fixtures() {}

  public static Path shared() {
    String prop = System.getProperty("remoteclip.shared");
    return (prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "shared")).toAbsolutePath().normalize();
  }

  /** {@code ../shared/<relative>}, or skips the calling test when it does not exist. */
  public static Path require(String relative) {
    Path p = shared().resolve(relative);
    assumeTrue(Files.exists(p), () -> "skipped: fixture " + p + " not found (see ../shared/golden/README.md)");
    return p;
  }
}

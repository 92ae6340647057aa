package io.remoteclip.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python interpreter for tests that compare against an independent Python reference. */
public final class Python {
  private Python() {}

  /**
   * Debian's interpreter first (where {@code apt-get install python3-…} puts modules), then whatever
   * {@code python3} is on the PATH; the first that imports every one of {@code modules}, or null.
   */
  public static String withModules(String... modules) throws InterruptedException {
    String imports = "import " + String.join(", ", modules);
    for (String python : List.of("/usr/bin/python3", "python3")) {
      try {
        Process p = new ProcessBuilder(python, "-c", imports).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return python;
        }
      } catch (IOException e) {
        // not installed: try the next
      }
    }
    return null;
  }
}

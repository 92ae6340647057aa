package io.remoteclip.cli.perf;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load while a benchmark runs: shared machines make figures comparable only with it. */
public final class LoadAverage {
  private LoadAverage() {}

  /** The 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown" where there is none. */
  public static String now() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "unknown";
    }
  }
}

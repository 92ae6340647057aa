package io.remoteclip.geo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's gdal-bin tools for independent checks; tests skip those checks when they are absent. Public for
 * the other modules' tests (core's test-jar).
 */
public final class Gdal {
  private static Boolean present;

  private Gdal() {}

  public static synchronized boolean present() {
    if (present == null) {
      try {
        present = run("gdalinfo", "--version").startsWith("GDAL");
      } catch (IOException | RuntimeException e) {
        present = false;
      }
    }
    return present;
  }

  /** Skips the calling test (with the install line) when gdal-bin is not installed. */
  public static void require() {
    assumeTrue(present(), "gdal-bin not installed (apt-get install -y gdal-bin): independent GDAL checks skipped");
  }

  public static String run(String... command) throws IOException {
    return runWithInput(null, command);
  }

  /** Runs {@code command} with {@code stdin} (may be null); returns stdout, failing on a non-zero exit. */
  public static String runWithInput(String stdin, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  /** {@code gdaltransform -s_srs SRC -t_srs EPSG:4326 -output_xy}: (lon, lat) of each (x, y), PROJ's numbers. */
  public static List<double[]> toLonLat(String srcCrs, List<double[]> xy) throws IOException {
    StringBuilder in = new StringBuilder();
    for (double[] p : xy) {
      in.append(String.format(java.util.Locale.ROOT, "%.10f %.10f%n", p[0], p[1]));
    }
    String out = runWithInput(in.toString(), "gdaltransform", "-s_srs", srcCrs, "-t_srs", "+proj=longlat +datum=WGS84 +no_defs",
        "-output_xy");
    List<double[]> lonLat = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      String[] f = line.trim().split("\\s+");
      lonLat.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
    }
    return lonLat;
  }
}

package io.remoteclip.geo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cloud-Optimised GeoTIFFs made by GDAL ({@code gdal_translate -of COG}) for remote-reading tests: an RGB
 * scene of textured noise (so every tile costs about the same bytes) on a WGS84 grid of {@link #DEGREES} per
 * pixel from ({@link #WEST}, {@link #NORTH}), tiles of {@link #TILE} px, Deflate, GDAL's overviews.
 */
public final class Cogs {
  public static final double WEST = 10.0;
  public static final double NORTH = 46.0;
  public static final double DEGREES = 1e-4;
  public static final int TILE = 256;

  private Cogs() {}

  /** Skips the calling test, naming the package, when gdal_translate is not installed. */
  public static void requireGdal() {
    assumeTrue(Gdal.present(), "gdal-bin not installed (apt-get install -y gdal-bin): GDAL-made COG tests skipped");
  }

  /** A {@code size}-square COG at {@code out}. */
  public static Path cog(Path out, int size) throws IOException {
    return translate(out, size, "-of", "COG", "-co", "BLOCKSIZE=" + TILE, "-co", "COMPRESS=DEFLATE");
  }

  /** The same pixels as a plain striped GeoTIFF (GDAL's default layout), not cloud-optimised. */
  public static Path striped(Path out, int size) throws IOException {
    return translate(out, size, "-of", "GTiff", "-co", "COMPRESS=DEFLATE");
  }

  /** {@code gdal_translate -srcwin}: GDAL's own crop of a window, as an independent reference. */
  public static Path crop(Path scene, Path out, int x, int y, int w, int h) throws IOException {
    Gdal.run("gdal_translate", "-q", "-srcwin", Integer.toString(x), Integer.toString(y), Integer.toString(w),
        Integer.toString(h), scene.toString(), out.toString());
    return out;
  }

  /** The WGS84 box W,S,E,N of the pixel rectangle (x, y, w, h), shrunk by 1 % of a pixel so edges do not touch. */
  public static String bbox(int x, int y, int w, int h) {
    double e = DEGREES / 100;
    return String.format(java.util.Locale.ROOT, "%.9f,%.9f,%.9f,%.9f", WEST + x * DEGREES + e,
        NORTH - (y + h) * DEGREES + e, WEST + (x + w) * DEGREES - e, NORTH - y * DEGREES - e);
  }

  private static Path translate(Path out, int size, String... options) throws IOException {
    Path ppm = out.resolveSibling(out.getFileName() + ".ppm");
    writeTexture(ppm, size);
    List<String> cmd = new ArrayList<>(List.of("gdal_translate", "-q", "-a_srs", "EPSG:4326", "-a_ullr",
        Double.toString(WEST), Double.toString(NORTH), Double.toString(WEST + size * DEGREES),
        Double.toString(NORTH - size * DEGREES)));
    cmd.addAll(List.of(options));
    cmd.add(ppm.toString());
    cmd.add(out.toString());
    try {
      Gdal.run(cmd.toArray(String[]::new));
    } finally {
      Files.deleteIfExists(ppm);
    }
    return out;
  }

  /** A binary PPM: smooth colour ramps plus 4 bits of hashed noise per sample (about half compressible). */
  private static void writeTexture(Path ppm, int size) throws IOException {
    try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(ppm), 1 << 20)) {
      o.write(("P6\n" + size + " " + size + "\n255\n").getBytes(StandardCharsets.US_ASCII));
      byte[] row = new byte[size * 3];
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int h = (x * 0x9E3779B1) ^ (y * 0x85EBCA77);
          h ^= h >>> 15;
          h *= 0x2C1B3C6D;
          h ^= h >>> 12;
          row[3 * x] = (byte) ((x * 200 / size) + (h & 15));
          row[3 * x + 1] = (byte) ((y * 200 / size) + ((h >>> 4) & 15));
          row[3 * x + 2] = (byte) (((x + y) * 100 / size) + ((h >>> 8) & 15));
        }
        o.write(row);
      }
    }
  }
}

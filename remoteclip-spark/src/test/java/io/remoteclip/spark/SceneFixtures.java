package io.remoteclip.spark;

import io.remoteclip.geo.GeoTiffWriter;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Small tiled GeoTIFF scenes the tests write themselves (UTM 33N, 10 m pixels, seeded random smooth pixels). */
final class SceneFixtures {
  private SceneFixtures() {}

  /** A {@code w x h} RGB scene in tiles of 32 px, Deflate-compressed, its upper-left corner at (x0, y0). */
  static Path write(Path file, int w, int h, long seed, double x0, double y0) throws Exception {
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    int[] base = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (base[0] + x * 3 + rnd.nextInt(24)) & 0xff;
        int g = (base[1] + y * 2 + rnd.nextInt(24)) & 0xff;
        int b = (base[2] + (x ^ y) + rnd.nextInt(24)) & 0xff;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    GeoTiffWriter.write(file, img, List.of(),
        new GeoTiffWriter.Tags(new AffineTransform(10, 0, 0, -10, x0, y0), 32633, false),
        GeoTiffWriter.Options.tiled(32, "Deflate"));
    return file;
  }
}

package io.remoteclip.cli;

import io.remoteclip.geo.GeoTiffWriter;
import io.remoteclip.testing.SampleImages;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/** The scene the scene commands' tests share: 3 x 2 drawn UCM-like tiles of 256 px, as a UTM 33N GeoTIFF. */
final class TestScenes {
  /** 0.5 m pixels, upper-left corner at (500000, 4000000) in EPSG:32633 (15 E, 36.1 N). */
  static final AffineTransform UTM = new AffineTransform(0.5, 0, 0, -0.5, 500_000, 4_000_000);

  private TestScenes() {}

  /** 768 x 512: tiles 101, 701, 102 over 702, 103, 703. */
  static BufferedImage mosaic() {
    int[] ids = {101, 701, 102, 702, 103, 703};
    BufferedImage mosaic = new BufferedImage(3 * 256, 2 * 256, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = mosaic.createGraphics();
    for (int i = 0; i < ids.length; i++) {
      g.drawImage(SampleImages.render(ids[i], 256, 256), (i % 3) * 256, (i / 3) * 256, null);
    }
    g.dispose();
    return mosaic;
  }

  /** {@code image} as a tiled, Deflate-compressed GeoTIFF georeferenced by {@link #UTM}. */
  static void writeUtm(Path file, BufferedImage image) throws Exception {
    GeoTiffWriter.write(file, image, List.of(), new GeoTiffWriter.Tags(UTM, 32633, false),
        GeoTiffWriter.Options.tiled(128, "Deflate"));
  }
}

package io.remoteclip.data.build;

import io.remoteclip.DataFormatException;
import io.remoteclip.data.tile.Tile;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowPixels;
import io.remoteclip.image.BufferedImages;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pixels of a scene's tiles. 8-bit RGB (Geo)TIFFs, classic or BigTIFF, are read one window at a time
 * through {@link Scene}, so DOTA/iSAID-size scenes never load whole; other images are decoded once and cut.
 */
final class SceneTiles implements AutoCloseable {
  private final Scene scene;
  private final BufferedImage whole;

  private SceneTiles(Scene scene, BufferedImage whole) {
    this.scene = scene;
    this.whole = whole;
  }

  static SceneTiles open(Path file) throws IOException, DataFormatException {
    if (isTiff(file)) {
      Scene s = Scene.open(file);
      if (s.bands() == 3 && s.read(new java.awt.Rectangle(0, 0, 1, 1)).raster().getDataBuffer().getDataType()
          == DataBuffer.TYPE_BYTE) {
        return new SceneTiles(s, null);
      }
      s.close();
    }
    return new SceneTiles(null, BufferedImages.read(file));
  }

  BufferedImage tile(Tile t) throws IOException, DataFormatException {
    if (whole != null) {
      return whole.getSubimage(t.x(), t.y(), t.width(), t.height());
    }
    WindowPixels p = scene.read(new java.awt.Rectangle(t.x(), t.y(), t.width(), t.height()));
    BufferedImage out = new BufferedImage(t.width(), t.height(), BufferedImage.TYPE_3BYTE_BGR);
    WritableRaster dst = out.getRaster();
    int[] row = new int[t.width() * 3];
    for (int y = 0; y < t.height(); y++) {
      p.raster().getPixels(0, y, t.width(), 1, row);
      dst.setPixels(0, y, t.width(), 1, row);
    }
    return out;
  }

  private static boolean isTiff(Path file) throws IOException {
    byte[] h = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(h, 0, 4);
    }
    return n == 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0)
        || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43)));
  }

  @Override
  public void close() throws IOException {
    if (scene != null) {
      scene.close();
    }
  }
}

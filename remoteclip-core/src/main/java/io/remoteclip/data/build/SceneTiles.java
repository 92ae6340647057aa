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

/**
 * The pixels of a scene's tiles. 8-bit RGB (Geo)TIFFs, classic or BigTIFF, are read one window at a time
 * through {@link Scene}, so DOTA/iSAID-size scenes never load whole (a remote one is read by ranges); other images
 * are decoded once and cut.
 */
final class SceneTiles implements AutoCloseable {
  private final Scene scene;
  private final BufferedImage whole;

  private SceneTiles(Scene scene, BufferedImage whole) {
    this.scene = scene;
    this.whole = whole;
  }

  static SceneTiles open(io.remoteclip.remote.RasterLocation file) throws IOException, DataFormatException {
    if (SourceImages.isTiff(file)) {
      Scene s = Scene.open(file);
      if (s.bands() == 3 && s.read(new java.awt.Rectangle(0, 0, 1, 1)).raster().getDataBuffer().getDataType()
          == DataBuffer.TYPE_BYTE) {
        return new SceneTiles(s, null);
      }
      s.close();
    }
    return new SceneTiles(null, BufferedImages.of(io.remoteclip.image.ImageDecoder.decode(SourceImages.source(file), null)));
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

  @Override
  public void close() throws IOException {
    if (scene != null) {
      scene.close();
    }
  }
}

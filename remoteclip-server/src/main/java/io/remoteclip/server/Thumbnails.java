package io.remoteclip.server;

import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.PilConvert;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** Small JPEG previews of indexed images, with a bounded in-memory cache (most recently used kept). */
final class Thumbnails {
  static final int MAX_SIDE = 192;
  private static final int CACHE_ENTRIES = 512;

  private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  synchronized byte[] cached(String id) {
    return cache.get(id);
  }

  synchronized void put(String id, byte[] jpeg) {
    cache.put(id, jpeg);
  }

  /** A JPEG at most {@link #MAX_SIDE} pixels on its longer side (never enlarged). */
  static byte[] jpeg(DecodedImage image) throws IOException {
    byte[] rgb = PilConvert.toRgb(image);
    int w = image.width();
    int h = image.height();
    BufferedImage full = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff);
    }
    full.setRGB(0, 0, w, h, px, 0, w);
    double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
    BufferedImage out = full;
    if (scale < 1.0) {
      int tw = Math.max(1, (int) Math.round(w * scale));
      int th = Math.max(1, (int) Math.round(h * scale));
      out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = out.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(full, 0, 0, tw, th, null);
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(out, "jpg", bytes)) {
      throw new IOException("no JPEG writer");
    }
    return bytes.toByteArray();
  }
}

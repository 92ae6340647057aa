package io.remoteclip.geo;

import io.remoteclip.DataFormatException;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.image.BufferedImages;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.PilConvert;
import io.remoteclip.image.RasterImages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A PNG quick-look of a scene (from its coarsest fitting overview) with windows outlined and numbered. */
public final class Quicklook {
  private static final Color[] COLORS = {
    new Color(255, 40, 40), new Color(40, 200, 255), new Color(255, 210, 0), new Color(60, 255, 60),
    new Color(255, 80, 255), new Color(255, 140, 0)};

  private Quicklook() {}

  /** A window to draw: its pixel rectangle, a colour slot (query or label index) and a short text (rank). */
  public record Outline(Rectangle window, int color, String text) {}

  /** Writes the quick-look of {@code scene}, longer side at most {@code maxSide}, to {@code png}. */
  public static void write(Path png, Scene scene, BandSelection bands, List<Outline> outlines, int maxSide)
      throws IOException, DataFormatException {
    BufferedImage drawn = render(scene, bands, outlines, maxSide);
    AtomicFiles.write(png, out -> BufferedImages.write(drawn, "png", out));
  }

  /** The quick-look of {@code scene} as PNG bytes (for serving). */
  public static byte[] png(Scene scene, BandSelection bands, List<Outline> outlines, int maxSide)
      throws IOException, DataFormatException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    BufferedImages.write(render(scene, bands, outlines, maxSide), "png", out);
    return out.toByteArray();
  }

  /** The quick-look of {@code scene}, longer side at most {@code maxSide}, with {@code outlines} drawn. */
  public static BufferedImage render(Scene scene, BandSelection bands, List<Outline> outlines, int maxSide)
      throws IOException, DataFormatException {
    WindowPixels p = scene.overview(maxSide);
    DecodedImage small = RasterImages.of(scene.name(), p.raster(), p.colors(), bands);
    byte[] rgb = PilConvert.toRgb(small);
    int w = small.width();
    int h = small.height();
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = 3 * (y * w + x);
        row[x] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
      }
      image.setRGB(0, y, w, 1, row, 0, w);
    }
    // An overview may be larger than asked for (SIS returns a stored level as it is): scale it down to fit.
    double fit = Math.min(1.0, maxSide / (double) Math.max(w, h));
    if (fit < 1.0) {
      int fw = Math.max(1, (int) Math.round(w * fit));
      int fh = Math.max(1, (int) Math.round(h * fit));
      BufferedImage scaled = new BufferedImage(fw, fh, BufferedImage.TYPE_INT_RGB);
      Graphics2D sg = scaled.createGraphics();
      sg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      sg.drawImage(image, 0, 0, fw, fh, null);
      sg.dispose();
      image = scaled;
      w = fw;
      h = fh;
    }
    double sx = w / (double) scene.width();
    double sy = h / (double) scene.height();
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setStroke(new BasicStroke(2f));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
      // Lowest ranks last, so the best windows are drawn on top.
      for (int i = outlines.size() - 1; i >= 0; i--) {
        Outline o = outlines.get(i);
        int x = (int) Math.round(o.window().x * sx);
        int y = (int) Math.round(o.window().y * sy);
        int ww = Math.max(2, (int) Math.round(o.window().width * sx));
        int hh = Math.max(2, (int) Math.round(o.window().height * sy));
        g.setColor(COLORS[Math.floorMod(o.color(), COLORS.length)]);
        g.drawRect(x, y, ww, hh);
        if (o.text() != null && !o.text().isEmpty()) {
          g.drawString(o.text(), x + 3, y + 13);
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }
}

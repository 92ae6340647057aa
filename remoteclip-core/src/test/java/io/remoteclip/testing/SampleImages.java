package io.remoteclip.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Images the tests write themselves, so that index, server, training and CLI tests run without
 * {@code ../shared}. They stand in for UC Merced tiles: {@code <id>.jpg}, 256×256, with UCM's numbering
 * (ids 1–100 are class 0, 101–200 class 1, …) and {@link #labelsCsv} in UCM's {@code labels.csv} form.
 * Each class has its own palette and texture orientation and each id its own seeded layout, so images of
 * one class are closer to each other than to other classes, and no two files are equal.
 */
public final class SampleImages {
  /** UC Merced's 21 classes in its id order. */
  public static final List<String> UCM_CLASSES = List.of("agricultural", "airplane", "baseballdiamond", "beach",
      "buildings", "chaparral", "denseresidential", "forest", "freeway", "golfcourse", "harbor", "intersection",
      "mediumresidential", "mobilehomepark", "overpass", "parkinglot", "river", "runway", "sparseresidential",
      "storagetanks", "tenniscourt");

  public static final int SIZE = 256;

  private SampleImages() {}

  /** The UCM class of a UCM id (1-based, 100 per class). */
  public static String ucmClass(int id) {
    return UCM_CLASSES.get(Math.floorMod(id - 1, 2100) / 100);
  }

  /** Draws the image for {@code id} (deterministic). */
  public static BufferedImage render(int id, int width, int height) {
    int cls = Math.floorMod(id - 1, 2100) / 100;
    SplittableRandom r = new SplittableRandom(id * 7919L + 17);
    float hue = cls / 21f;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.getHSBColor(hue, 0.35f, 0.55f));
    g.fillRect(0, 0, width, height);
    // Class texture: stripes at a class-specific angle and spacing.
    g.rotate(Math.toRadians(cls * 17), width / 2.0, height / 2.0);
    int spacing = 8 + cls % 5 * 6;
    g.setColor(Color.getHSBColor(hue, 0.6f, 0.8f));
    for (int x = -width; x < 2 * width; x += spacing) {
      g.fillRect(x, -height, spacing / 3 + 1, 3 * height);
    }
    g.rotate(-Math.toRadians(cls * 17), width / 2.0, height / 2.0);
    // Per-image objects in a palette near the class hue.
    for (int k = 0; k < 25; k++) {
      g.setColor(Color.getHSBColor(hue + (float) (r.nextDouble() - 0.5) * 0.15f, 0.3f + 0.6f * (float) r.nextDouble(),
          0.3f + 0.7f * (float) r.nextDouble()));
      int w = 6 + r.nextInt(width / 5);
      int h = 6 + r.nextInt(height / 5);
      int x = r.nextInt(width);
      int y = r.nextInt(height);
      if (cls % 2 == 0) {
        g.fillOval(x, y, w, h);
      } else {
        g.fillRect(x, y, w, h);
      }
    }
    g.dispose();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = img.getRGB(x, y);
        int n = r.nextInt(17) - 8;
        img.setRGB(x, y, (clamp((rgb >> 16 & 255) + n) << 16) | (clamp((rgb >> 8 & 255) + n) << 8) | clamp((rgb & 255) + n));
      }
    }
    return img;
  }

  /** Writes the image for {@code id} to {@code file}; the format follows the extension (jpg, png, bmp, tif). */
  public static Path write(Path file, int id) {
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String format = switch (ext) {
      case "jpg", "jpeg" -> "jpeg";
      case "tif", "tiff" -> "tiff";
      default -> ext;
    };
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      if (!ImageIO.write(render(id, SIZE, SIZE), format, file.toFile())) {
        throw new IllegalArgumentException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes {@code <id>.jpg} into {@code dir} for each id; returns the files in the given order. */
  public static List<Path> ucmLike(Path dir, int... ids) {
    List<Path> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(write(dir.resolve(id + ".jpg"), id));
    }
    return out;
  }

  /** UCM's {@code labels.csv} ({@code filename,class}) for all 2,100 ids. */
  public static Path labelsCsv(Path file) throws IOException {
    List<String> lines = new ArrayList<>(2101);
    lines.add("filename,class");
    for (int id = 1; id <= 2100; id++) {
      lines.add(id + ".jpg," + ucmClass(id));
    }
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    return Files.write(file, lines);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}

package io.remoteclip.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Valid, tiny PNG files of extreme shapes (a 100000x1 strip compresses to a few hundred bytes), as a user or an
 * attacker may send them: they decode cheaply but would resize to enormous intermediates.
 */
public final class StripImages {
  private StripImages() {}

  /** A grey {@code width}x{@code height} RGB PNG. */
  public static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    java.util.Arrays.fill(row, 0x808080);
    for (int y = 0; y < height; y++) {
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}

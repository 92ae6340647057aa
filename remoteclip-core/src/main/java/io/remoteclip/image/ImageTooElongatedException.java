package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.util.Locale;

/**
 * A well-formed image whose sides are too unequal to resize for a model (refused from its header, before its
 * pixels are read): the model's resize makes the shorter side its input size, so the longer one would grow to
 * that size times the ratio.
 */
public final class ImageTooElongatedException extends DataFormatException {
  private final int width;
  private final int height;
  private final int limit;

  public ImageTooElongatedException(String name, int width, int height, int limit) {
    super(String.format(Locale.ROOT, "%s: image is too elongated: %dx%d, its longer side is %s times its shorter, the limit is %d",
        name, width, height, ratio(width, height), limit));
    this.width = width;
    this.height = height;
    this.limit = limit;
  }

  private static String ratio(int width, int height) {
    long longer = Math.max(width, height);
    long shorter = Math.max(1, Math.min(width, height));
    return longer % shorter == 0 ? String.format(Locale.ROOT, "%,d", longer / shorter)
        : String.format(Locale.ROOT, "%,.1f", (double) longer / shorter);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The largest accepted ratio of the longer side to the shorter. */
  public int limit() {
    return limit;
  }
}

package io.remoteclip.image;

import io.remoteclip.DataFormatException;

/** A well-formed image whose pixel count is over the decoder's limit (refused before its pixels are read). */
public final class ImageTooLargeException extends DataFormatException {
  private final int width;
  private final int height;
  private final long limit;

  public ImageTooLargeException(String name, int width, int height, long limit) {
    super(String.format(java.util.Locale.ROOT, "%s: image is too large: %dx%d = %,d pixels, the limit is %,d pixels",
        name, width, height, (long) width * height, limit));
    this.width = width;
    this.height = height;
    this.limit = limit;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public long limit() {
    return limit;
  }
}

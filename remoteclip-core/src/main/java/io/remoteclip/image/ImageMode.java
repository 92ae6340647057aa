package io.remoteclip.image;

/** Pillow's pixel modes that decoding can produce, with their number of stored channels. */
public enum ImageMode {
  /** Bilevel; stored as one byte per pixel, 0 or 255 (as Pillow stores it). */
  ONE("1", 1),
  /** 8-bit grayscale. */
  L("L", 1),
  /** 8-bit grayscale with alpha. */
  LA("LA", 2),
  /** 8-bit palette indices; see {@link DecodedImage#palette()}. */
  P("P", 1),
  RGB("RGB", 3),
  RGBA("RGBA", 4),
  /** As Pillow holds JPEG CMYK: Adobe files already un-inverted. */
  CMYK("CMYK", 4),
  /** 32-bit signed integer grayscale (Pillow opens 16-bit grayscale PNG this way). */
  I("I", 1);

  private final String pilName;
  private final int channels;

  ImageMode(String pilName, int channels) {
    this.pilName = pilName;
    this.channels = channels;
  }

  /** The mode's name in Pillow ("1", "L", "RGB", ...). */
  public String pilName() {
    return pilName;
  }

  public int channels() {
    return channels;
  }
}

package io.remoteclip.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded raster in one of Pillow's modes: row-major, channels interleaved. 8-bit modes keep their samples
 * in {@link #bytes()} ({@code width*height*channels}); mode {@link ImageMode#I} keeps them in {@link #ints()}.
 * Palette images carry their palette as RGB triplets (256 entries).
 *
 * <p>The arrays are shared, not copied, to keep large images cheap: treat them as read-only.
 */
public final class DecodedImage {
  private final ImageMode mode;
  private final int width;
  private final int height;
  private final byte[] bytes;
  private final int[] ints;
  private final byte[] palette;

  private DecodedImage(ImageMode mode, int width, int height, byte[] bytes, int[] ints, byte[] palette) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    this.mode = mode;
    this.width = width;
    this.height = height;
    this.bytes = bytes;
    this.ints = ints;
    this.palette = palette;
  }

  /** An 8-bit image of any mode but {@link ImageMode#I} and {@link ImageMode#P}. */
  public static DecodedImage of8Bit(ImageMode mode, int width, int height, byte[] samples) {
    if (mode == ImageMode.I || mode == ImageMode.P) {
      throw new IllegalArgumentException("use ofInts / ofPalette for mode " + mode.pilName());
    }
    checkLength(samples.length, width, height, mode.channels());
    return new DecodedImage(mode, width, height, samples, null, null);
  }

  /** A mode-I image. */
  public static DecodedImage ofInts(int width, int height, int[] samples) {
    checkLength(samples.length, width, height, 1);
    return new DecodedImage(ImageMode.I, width, height, null, samples, null);
  }

  /** A palette image; {@code paletteRgb} holds up to 256 RGB triplets, missing entries are black. */
  public static DecodedImage ofPalette(int width, int height, byte[] indices, byte[] paletteRgb) {
    checkLength(indices.length, width, height, 1);
    if (paletteRgb.length > 768 || paletteRgb.length % 3 != 0) {
      throw new IllegalArgumentException("palette must hold at most 256 RGB triplets, got " + paletteRgb.length + " bytes");
    }
    return new DecodedImage(ImageMode.P, width, height, indices, null, Arrays.copyOf(paletteRgb, 768));
  }

  private static void checkLength(int length, int width, int height, int channels) {
    if ((long) width * height * channels != length) {
      throw new IllegalArgumentException("expected " + (long) width * height * channels + " samples for "
          + width + "x" + height + "x" + channels + ", got " + length);
    }
  }

  public ImageMode mode() {
    return mode;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int channels() {
    return mode.channels();
  }

  /** 8-bit samples (palette indices for P); null for mode I. */
  public byte[] bytes() {
    return bytes;
  }

  /** Mode-I samples; null otherwise. */
  public int[] ints() {
    return ints;
  }

  /** 768 bytes of RGB palette for mode P; null otherwise. */
  public byte[] palette() {
    return palette;
  }

  /** A new image of the same mode from samples laid out like this one's. */
  DecodedImage withSamples(int w, int h, byte[] newBytes, int[] newInts) {
    return new DecodedImage(mode, w, h, newBytes, newInts, palette);
  }

  /** The region {@code [left, left+w) x [top, top+h)}, which must lie inside the image (Pillow's crop). */
  public DecodedImage crop(int left, int top, int w, int h) {
    if (left < 0 || top < 0 || w <= 0 || h <= 0 || left + w > width || top + h > height) {
      throw new IllegalArgumentException("crop " + w + "x" + h + "+" + left + "+" + top + " outside " + width + "x" + height);
    }
    if (left == 0 && top == 0 && w == width && h == height) {
      return this;
    }
    int c = channels();
    if (ints != null) {
      int[] out = new int[w * h];
      for (int y = 0; y < h; y++) {
        System.arraycopy(ints, (top + y) * width + left, out, y * w, w);
      }
      return withSamples(w, h, null, out);
    }
    byte[] out = new byte[w * h * c];
    for (int y = 0; y < h; y++) {
      System.arraycopy(bytes, ((top + y) * width + left) * c, out, y * w * c, w * c);
    }
    return withSamples(w, h, out, null);
  }

  @Override
  public String toString() {
    return "DecodedImage[" + mode.pilName() + " " + width + "x" + height + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecodedImage d && d.mode == mode && d.width == width && d.height == height
        && Arrays.equals(d.bytes, bytes) && Arrays.equals(d.ints, ints) && Arrays.equals(d.palette, palette);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, width, height, Arrays.hashCode(bytes), Arrays.hashCode(ints));
  }
}

package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * open_clip's evaluation transform: Resize(N) of the shorter side (long side {@code int(N·long/short)}) in
 * the image's own mode → CenterCrop(N) with {@code round((size − N) / 2)} offsets, half to even →
 * {@code convert("RGB")} → ToTensor (v / 255 in float32) → Normalize in float32. With
 * {@link ResizeMode#SQUASH} (SigLIP) the resize is Resize((N, N)) and nothing is cropped. Immutable, thread-safe.
 */
public final class EvalTransform {
  private final PreprocessConfig config;
  private final float[][] lut = new float[3][256];

  public EvalTransform(PreprocessConfig config) {
    this.config = config;
    float[] mean = config.mean();
    float[] std = config.std();
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        // Same float32 operations as torchvision: (v / 255f - mean) / std.
        lut[c][v] = ((float) v / 255f - mean[c]) / std[c];
      }
    }
  }

  public PreprocessConfig config() {
    return config;
  }

  /** Decodes and preprocesses a file: {@code float[3*N*N]}, CHW. */
  public float[] apply(Path file) throws DataFormatException, IOException {
    return apply(ImageDecoder.decode(file));
  }

  /** The normalised CHW tensor, {@code float[3*N*N]}. */
  public float[] apply(DecodedImage image) {
    return toTensor(resizedRgb(image), config.imageSize(), lut);
  }

  /** The 8-bit RGB image just before ToTensor (HWC, {@code N*N*3}), as in the golden {@code _resized.npy}. */
  public byte[] resizedRgb(DecodedImage image) {
    int n = config.imageSize();
    if (config.resizeMode() == ResizeMode.SQUASH) {
      return PilConvert.toRgb(PilResize.resize(image, n, n, config.resample()));
    }
    int[] size = resizedSize(image.width(), image.height(), n);
    DecodedImage resized = PilResize.resize(image, size[0], size[1], config.resample());
    int[] offset = centerCropOffset(size[0], size[1], n);
    return PilConvert.toRgb(resized.crop(offset[0], offset[1], n, n));
  }

  /** torchvision Resize(int): the shorter side becomes {@code n}, the other {@code int(n * long / short)}. */
  public static int[] resizedSize(int w, int h, int n) {
    if (w <= h) {
      return new int[] {n, (int) ((double) n * h / w)};
    }
    return new int[] {(int) ((double) n * w / h), n};
  }

  /** torchvision CenterCrop offsets (left, top): {@code round((size − n) / 2)}, half to even. */
  public static int[] centerCropOffset(int w, int h, int n) {
    return new int[] {(int) Math.rint((w - n) / 2.0), (int) Math.rint((h - n) / 2.0)};
  }

  /** HWC RGB bytes → normalised CHW floats through a per-channel lookup table. */
  static float[] toTensor(byte[] rgb, int n, float[][] lut) {
    int plane = n * n;
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      out[i] = lut[0][rgb[3 * i] & 0xFF];
      out[plane + i] = lut[1][rgb[3 * i + 1] & 0xFF];
      out[2 * plane + i] = lut[2][rgb[3 * i + 2] & 0xFF];
    }
    return out;
  }

  float[][] lookupTable() {
    return lut;
  }
}

package io.remoteclip.image;

import java.util.Arrays;

/**
 * Input size, normalisation, resampling filter and resize mode of a model's image preprocessing.
 *
 * @param imageSize output side N (the tensor is 3×N×N)
 * @param mean per-channel mean subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation divided by
 * @param resample filter of the resize (BICUBIC for OpenAI CLIP / RemoteCLIP)
 * @param resizeMode shorter side and centre crop (CLIP) or squash (SigLIP)
 */
public record PreprocessConfig(int imageSize, float[] mean, float[] std, Resample resample, ResizeMode resizeMode) {
  public static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  public static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  public PreprocessConfig {
    if (imageSize <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + imageSize);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values each");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
    resizeMode = resizeMode == null ? ResizeMode.SHORTEST : resizeMode;
  }

  /** CLIP's shorter-side resize and centre crop. */
  public PreprocessConfig(int imageSize, float[] mean, float[] std, Resample resample) {
    this(imageSize, mean, std, resample, ResizeMode.SHORTEST);
  }

  /** OpenAI CLIP's preprocessing at 224 pixels (what RemoteCLIP uses). */
  public static PreprocessConfig openAi() {
    return openAi(224);
  }

  /** OpenAI mean/std, BICUBIC, at {@code imageSize}. */
  public static PreprocessConfig openAi(int imageSize) {
    return new PreprocessConfig(imageSize, OPENAI_MEAN, OPENAI_STD, Resample.BICUBIC);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessConfig p && p.imageSize == imageSize && Arrays.equals(p.mean, mean)
        && Arrays.equals(p.std, std) && p.resample == resample && p.resizeMode == resizeMode;
  }

  @Override
  public int hashCode() {
    return ((imageSize * 31 + Arrays.hashCode(mean)) * 31 + Arrays.hashCode(std) + resample.hashCode()) * 31
        + resizeMode.hashCode();
  }

  @Override
  public String toString() {
    return "PreprocessConfig[" + imageSize + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
        + ", " + resample + (resizeMode == ResizeMode.SHORTEST ? "" : ", " + resizeMode) + "]";
  }
}

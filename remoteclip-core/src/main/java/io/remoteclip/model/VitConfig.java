package io.remoteclip.model;

/** ViT image tower (open_clip {@code VisionTransformer}). */
public record VitConfig(int width, int layers, int heads, int patchSize, int imageSize) implements VisionConfig {
  public VitConfig {
    if (width % heads != 0) {
      throw new IllegalArgumentException("vision width=" + width + " is not divisible by heads=" + heads);
    }
  }

  public int grid() {
    return imageSize / patchSize;
  }

  @Override
  public long parameterCount(int embedDim) {
    long w = width;
    long tokens = (long) grid() * grid() + 1;
    long block = 4 * w + 3 * w * w + 3 * w + w * w + w + 4 * w * w + 4 * w + 4 * w * w + w;
    return 3L * patchSize * patchSize * w + w + tokens * w + 4 * w + layers * block + w * embedDim;
  }
}

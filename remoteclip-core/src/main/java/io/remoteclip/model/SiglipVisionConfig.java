package io.remoteclip.model;

/**
 * SigLIP image tower (timm {@code VisionTransformer} with {@code class_token=False, global_pool="map"}): patch
 * convolution with bias, learned positions, no pre-norm, pre-LN blocks, final LayerNorm, then a MAP head (one
 * learned query attending over the tokens, and an MLP with residual). No projection: the head's output is the
 * feature, so the tower's width is the embedding width.
 *
 * @param mlpWidth hidden width of every MLP, the MAP head's included (4·width in B and L, 4304 in SO400M)
 * @param imageSize input side; the patch grid is {@code imageSize / patchSize} (SO400M-14 at 384 px uses 27
 *     patches of 14 and ignores the last 6 pixels, as the strided convolution does)
 */
public record SiglipVisionConfig(int width, int layers, int heads, int patchSize, int imageSize, int mlpWidth)
    implements VisionConfig {
  public SiglipVisionConfig {
    if (heads <= 0 || width % heads != 0) {
      throw new IllegalArgumentException("vision width=" + width + " is not divisible by heads=" + heads);
    }
  }

  public int grid() {
    return imageSize / patchSize;
  }

  @Override
  public long parameterCount(int embedDim) {
    long w = width;
    long m = mlpWidth;
    long mlp = 2 * w * m + m + w;
    long block = 4 * w + 3 * w * w + 3 * w + w * w + w + mlp;
    long head = w + 3 * w * w + 3 * w + w * w + w + 2 * w + mlp;
    return 3L * patchSize * patchSize * w + w + (long) grid() * grid() * w + layers * block + 2 * w + head;
  }
}

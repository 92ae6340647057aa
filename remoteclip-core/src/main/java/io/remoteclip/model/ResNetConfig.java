package io.remoteclip.model;

import java.util.Arrays;

/** ModifiedResNet image tower (open_clip {@code ModifiedResNet}): blocks per stage, stem width, pool heads. */
public record ResNetConfig(int[] layers, int width, int heads, int imageSize) implements VisionConfig {
  public ResNetConfig {
    layers = layers.clone();
    if (layers.length != 4) {
      throw new IllegalArgumentException("layers=" + Arrays.toString(layers) + " (expected 4 stages)");
    }
  }

  /** Channels entering the attention pool: width × 32. */
  public int poolWidth() {
    return width * 32;
  }

  @Override
  public long parameterCount(int embedDim) {
    return -1; // counted from the state dict instead
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResNetConfig r && Arrays.equals(layers, r.layers) && width == r.width && heads == r.heads
        && imageSize == r.imageSize;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(layers) * 31 + width * 7 + heads * 3 + imageSize;
  }

  @Override
  public String toString() {
    return "ResNetConfig[layers=" + Arrays.toString(layers) + ", width=" + width + ", heads=" + heads + ", imageSize="
        + imageSize + "]";
  }
}

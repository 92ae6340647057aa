package io.remoteclip.model;

/** Image tower architecture: a ViT or a ModifiedResNet. */
public sealed interface VisionConfig permits VitConfig, ResNetConfig {
  int imageSize();

  /** Width of the tower's output before projection. */
  int width();

  long parameterCount(int embedDim);
}

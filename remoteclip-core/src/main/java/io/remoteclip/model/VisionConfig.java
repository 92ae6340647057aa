package io.remoteclip.model;

/** Image tower architecture: a CLIP ViT, a ModifiedResNet or a SigLIP ViT. */
public sealed interface VisionConfig permits VitConfig, ResNetConfig, SiglipVisionConfig {
  int imageSize();

  /** Width of the tower's output before projection. */
  int width();

  long parameterCount(int embedDim);
}

package io.remoteclip.model;

/**
 * A whole model: image tower, text tower, shared embedding width and MLP activation. The image tower decides the
 * {@link #family()}: a {@link SiglipVisionConfig} makes a SigLIP (whose text tower is then bidirectional).
 */
public record ClipConfig(VisionConfig vision, TextConfig text, int embedDim, Activation activation) {
  public ClipConfig withActivation(Activation a) {
    return new ClipConfig(vision, text, embedDim, a);
  }

  public ModelFamily family() {
    return vision instanceof SiglipVisionConfig ? ModelFamily.SIGLIP : ModelFamily.CLIP;
  }

  /** open_clip's name of the architecture (ViT-B-32, ViT-H-14, RN50, ViT-B-16-SigLIP-256, ...), or "custom". */
  public String architectureName() {
    if (vision instanceof SiglipVisionConfig s) {
      return siglipName(s);
    }
    String name = Architectures.nameOf(this);
    return name == null ? "custom" : name;
  }

  /** open_clip's ViT-*-SigLIP names: the size, the patch, then the resolution unless it is 224 ("-i18n" for 250k vocab). */
  private String siglipName(SiglipVisionConfig s) {
    String size;
    if (s.width() == 768 && s.layers() == 12 && text.width() == 768) {
      size = "ViT-B-";
    } else if (s.width() == 1024 && s.layers() == 24 && text.width() == 1024) {
      size = "ViT-L-";
    } else if (s.width() == 1152 && s.layers() == 27 && text.width() == 1152) {
      size = "ViT-SO400M-";
    } else {
      return "custom-SigLIP";
    }
    String vocab = text.vocabSize() == 250_000 ? "-i18n" : "";
    return size + s.patchSize() + "-SigLIP" + vocab + (s.imageSize() == 224 ? "" : "-" + s.imageSize());
  }
}

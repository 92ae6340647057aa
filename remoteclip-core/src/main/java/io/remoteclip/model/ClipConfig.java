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

  /** open_clip's name of the architecture (ViT-B-32, RN50, ViT-B-16-SigLIP-256, ...), or "custom". */
  public String architectureName() {
    if (vision instanceof VitConfig v) {
      if (v.width() == 768 && v.layers() == 12 && v.patchSize() == 32 && text.width() == 512) return "ViT-B-32";
      if (v.width() == 768 && v.layers() == 12 && v.patchSize() == 16 && text.width() == 512) return "ViT-B-16";
      if (v.width() == 1024 && v.layers() == 24 && v.patchSize() == 14 && text.width() == 768) return "ViT-L-14";
    } else if (vision instanceof ResNetConfig r) {
      int[] l = r.layers();
      if (r.width() == 64 && l[0] == 3 && l[1] == 4 && l[2] == 6 && l[3] == 3) return "RN50";
      if (r.width() == 64 && l[0] == 3 && l[1] == 4 && l[2] == 23 && l[3] == 3) return "RN101";
    } else if (vision instanceof SiglipVisionConfig s) {
      return siglipName(s);
    }
    return "custom";
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

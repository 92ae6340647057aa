package io.remoteclip.model;

/** A whole CLIP: image tower, text tower, shared embedding width and MLP activation. */
public record ClipConfig(VisionConfig vision, TextConfig text, int embedDim, Activation activation) {
  public ClipConfig withActivation(Activation a) {
    return new ClipConfig(vision, text, embedDim, a);
  }

  /** The names used by open_clip for the three RemoteCLIP sizes, or "custom". */
  public String architectureName() {
    if (vision instanceof VitConfig v) {
      if (v.width() == 768 && v.layers() == 12 && v.patchSize() == 32 && text.width() == 512) return "ViT-B-32";
      if (v.width() == 768 && v.layers() == 12 && v.patchSize() == 16 && text.width() == 512) return "ViT-B-16";
      if (v.width() == 1024 && v.layers() == 24 && v.patchSize() == 14 && text.width() == 768) return "ViT-L-14";
    } else if (vision instanceof ResNetConfig r) {
      int[] l = r.layers();
      if (r.width() == 64 && l[0] == 3 && l[1] == 4 && l[2] == 6 && l[3] == 3) return "RN50";
      if (r.width() == 64 && l[0] == 3 && l[1] == 4 && l[2] == 23 && l[3] == 3) return "RN101";
    }
    return "custom";
  }
}

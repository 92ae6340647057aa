package io.remoteclip.model;

/** A whole CLIP: image tower, text tower, shared embedding width and MLP activation. */
public record ClipConfig(VisionConfig vision, TextConfig text, int embedDim, Activation activation) {
  public ClipConfig withActivation(Activation a) {
    return new ClipConfig(vision, text, embedDim, a);
  }

  /** open_clip's name of this architecture ({@code ViT-B-32}, {@code ViT-H-14}, {@code RN50} ...), or "custom". */
  public String architectureName() {
    String name = Architectures.nameOf(this);
    return name == null ? "custom" : name;
  }
}

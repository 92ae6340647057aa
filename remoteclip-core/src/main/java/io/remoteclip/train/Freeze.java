package io.remoteclip.train;

/** Which tower is kept fixed: none (full fine-tuning), image (locked-image tuning) or text. */
public enum Freeze {
  NONE,
  IMAGE,
  TEXT;

  /** Whether the tensor named {@code key} is trained under this setting. */
  public boolean trains(String key) {
    boolean visual = key.startsWith("visual.");
    return switch (this) {
      case NONE -> true;
      case IMAGE -> !visual;
      case TEXT -> visual || key.equals("logit_scale") || key.equals("logit_bias");
    };
  }
}

package io.remoteclip.image;

import java.util.Locale;

/** How an image is brought to the model's square input (open_clip's {@code resize_mode}). */
public enum ResizeMode {
  /** The shorter side to N, then a centred N×N crop: OpenAI CLIP and open_clip's default ({@code "shortest"}). */
  SHORTEST,
  /** Both sides to N, the aspect ratio not kept, nothing cropped: SigLIP ({@code "squash"}). */
  SQUASH;

  /** open_clip's spelling: {@code shortest} or {@code squash}. */
  public String openClipName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads open_clip's {@code resize_mode}; {@code longest} (resize and pad) is not supported. */
  public static ResizeMode parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "shortest" -> SHORTEST;
      case "squash" -> SQUASH;
      default -> throw new IllegalArgumentException("resize_mode " + s + " (supported: shortest, squash)");
    };
  }
}

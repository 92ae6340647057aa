package io.remoteclip.hub;

import java.util.Locale;

/**
 * MLP activation of a CLIP tower. It is not recoverable from the weights' shapes, so the registry
 * records it: OpenAI-initialised models (OpenAI CLIP, RemoteCLIP, GeoRSCLIP) use QuickGELU,
 * LAION-trained open_clip models use erf GELU.
 */
public enum Activation {
  /** {@code x * sigmoid(1.702 x)}. */
  QUICK_GELU("quick_gelu"),
  /** Exact (erf) GELU. */
  GELU("gelu");

  private final String key;

  Activation(String key) {
    this.key = key;
  }

  /** Name used in registry JSON ({@code "quick_gelu"} or {@code "gelu"}). */
  public String key() {
    return key;
  }

  /** Parses a registry value; {@code null} when the text names no activation. */
  public static Activation parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (Activation a : values()) {
      if (a.key.equals(t)) {
        return a;
      }
    }
    return "quickgelu".equals(t) ? QUICK_GELU : null;
  }
}

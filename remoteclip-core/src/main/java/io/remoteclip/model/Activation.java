package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * The MLP activation. Not recorded in checkpoints: OpenAI-initialised models (OpenAI CLIP, RemoteCLIP,
 * SkyCLIP) use QuickGELU, LAION-trained open_clip models the exact erf GELU.
 */
public enum Activation {
  /** {@code x * sigmoid(1.702 x)}. */
  QUICK_GELU,
  /** {@code 0.5 x (1 + erf(x / sqrt 2))}, not the tanh approximation. */
  GELU;

  public NDArray apply(NDArray x) {
    return switch (this) {
      case QUICK_GELU -> {
        NDArray scaled = Layers.scale(x, 1.702f);
        NDArray gate = Layers.release(scaled, scaled.getNDArrayInternal().sigmoid());
        yield Layers.release(gate, x.mul(gate));
      }
      case GELU -> x.getNDArrayInternal().gelu();
    };
  }

  /** Accepts {@code quickgelu}, {@code quick_gelu}, {@code gelu} (any case). */
  public static Activation parse(String s) {
    String k = s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return switch (k) {
      case "quickgelu" -> QUICK_GELU;
      case "gelu" -> GELU;
      default -> throw new IllegalArgumentException("activation=" + s + " (expected quickgelu or gelu)");
    };
  }

  /** Spelling in registry JSON and open_clip configs: {@code quick_gelu} or {@code gelu}. */
  public String registryName() {
    return this == QUICK_GELU ? "quick_gelu" : "gelu";
  }

  public String cliName() {
    return this == QUICK_GELU ? "quickgelu" : "gelu";
  }
}

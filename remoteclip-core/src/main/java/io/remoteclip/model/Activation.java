package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * The MLP activation. Not recorded in checkpoints: OpenAI-initialised models (OpenAI CLIP, RemoteCLIP,
 * SkyCLIP) use QuickGELU, LAION-trained open_clip models and timm's SigLIP (v1) the exact erf GELU, and
 * Hugging Face SigLIP configs ({@code hidden_act: gelu_pytorch_tanh}: Git-RSCLIP, google/siglip-*) and SigLIP 2
 * the tanh approximation. The two GELUs differ by about 2e-4 in the features, twenty times the parity bound.
 */
public enum Activation {
  /** {@code x * sigmoid(1.702 x)}. */
  QUICK_GELU,
  /** {@code 0.5 x (1 + erf(x / sqrt 2))}, not the tanh approximation. */
  GELU,
  /** {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}: PyTorch's {@code approximate="tanh"}. */
  GELU_TANH;

  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

  public NDArray apply(NDArray x) {
    return switch (this) {
      case QUICK_GELU -> {
        NDArray scaled = Layers.scale(x, 1.702f);
        NDArray gate = Layers.release(scaled, scaled.getNDArrayInternal().sigmoid());
        yield Layers.release(gate, x.mul(gate));
      }
      case GELU -> x.getNDArrayInternal().gelu();
      case GELU_TANH -> geluTanh(x);
    };
  }

  /** The binding's gelu has no tanh variant: composed from element-wise ops, intermediates freed as they go. */
  private static NDArray geluTanh(NDArray x) {
    NDArray square = x.mul(x);
    NDArray cube = Layers.release(square, square.mul(x));
    NDArray inner = Layers.release(cube, Layers.scale(cube, 0.044715f));
    inner = Layers.release(inner, inner.add(x));
    inner = Layers.release(inner, Layers.scale(inner, SQRT_2_OVER_PI));
    NDArray gate = Layers.release(inner, inner.tanh());
    gate = Layers.release(gate, Layers.shift(gate, 1f));
    gate = Layers.release(gate, Layers.scale(gate, 0.5f));
    return Layers.release(gate, x.mul(gate));
  }

  /**
   * Accepts {@code quickgelu}, {@code quick_gelu}, {@code gelu}, {@code gelutanh}, {@code gelu_tanh} and the Hugging
   * Face names {@code gelu_pytorch_tanh}, {@code gelu_new} (any case).
   */
  public static Activation parse(String s) {
    String k = s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return switch (k) {
      case "quickgelu" -> QUICK_GELU;
      case "gelu" -> GELU;
      case "gelutanh", "gelupytorchtanh", "gelunew" -> GELU_TANH;
      default -> throw new IllegalArgumentException("activation=" + s + " (expected quickgelu, gelu or gelutanh)");
    };
  }

  /** Spelling in registry JSON and open_clip configs: {@code quick_gelu}, {@code gelu} or {@code gelu_tanh}. */
  public String registryName() {
    return switch (this) {
      case QUICK_GELU -> "quick_gelu";
      case GELU -> "gelu";
      case GELU_TANH -> "gelu_tanh";
    };
  }

  public String cliName() {
    return registryName().replace("_", "");
  }
}

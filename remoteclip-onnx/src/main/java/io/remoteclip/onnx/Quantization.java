package io.remoteclip.onnx;

import java.util.Locale;

/** How the exported graphs hold their weights. */
public enum Quantization {
  /** float32 weights, float32 compute: the DJL engine's features within 1e-5. */
  FP32,
  /**
   * int8 weights for every Linear and the ViT patch convolution (per output channel, symmetric), activations
   * quantised per tensor at run time ({@code DynamicQuantizeLinear} + {@code MatMulInteger}); LayerNorm,
   * softmax, ResNet convolutions and the final projections stay float32.
   */
  INT8;

  public static Quantization parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "fp32", "none", "float32" -> FP32;
      case "int8" -> INT8;
      default -> throw new IllegalArgumentException("--quantize " + s + " (expected int8, or fp32 for none)");
    };
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

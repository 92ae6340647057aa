package io.remoteclip.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Number format of inference: the weights and activations of the towers. Features are always returned
 * as float32. Training always runs in {@link #FP32}.
 */
public enum Precision {
  /** IEEE single precision; matches open_clip to about 1e-6 relative. */
  FP32(DataType.FLOAT32),
  /**
   * bfloat16 weights and activations (8-bit mantissa; PyTorch accumulates matrix products in float32).
   * Fast only on CPUs with native bf16 dot products (AVX512_BF16 or AMX); elsewhere emulated and slower.
   */
  BF16(DataType.BFLOAT16);

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  public DataType dataType() {
    return dataType;
  }

  /** Accepts {@code fp32}/{@code float32} and {@code bf16}/{@code bfloat16} (any case). */
  public static Precision parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "fp32", "float32" -> FP32;
      case "bf16", "bfloat16" -> BF16;
      default -> throw new IllegalArgumentException("precision=" + s + " (expected fp32 or bf16)");
    };
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

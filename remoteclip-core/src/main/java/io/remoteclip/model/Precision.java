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
   * Fast only on CPUs with native bf16 dot products (AVX512_BF16 or AMX). Not available with the current
   * engine: see {@link #unavailableReason()}.
   */
  BF16(DataType.BFLOAT16);

  /**
   * Why bf16 cannot run: DJL 0.36's PyTorch binding has no bfloat16 in its native type table, and creating
   * or casting to a bfloat16 tensor aborts the JVM (std::terminate), so it is refused before any tensor exists.
   */
  public static final String BF16_UNAVAILABLE = "bf16 inference is not available: the engine binding (DJL 0.36 "
      + "PyTorch) cannot create bfloat16 tensors";

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

  /** Null when this precision can run, else the one-line reason. */
  public String unavailableReason() {
    return this == BF16 ? BF16_UNAVAILABLE : null;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

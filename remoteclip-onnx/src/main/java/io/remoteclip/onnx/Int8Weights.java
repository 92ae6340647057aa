package io.remoteclip.onnx;

/**
 * Symmetric per-column int8 quantisation of a [k, n] weight matrix (column j = output channel j):
 * {@code scale_j = max_i |w_ij| / LIMIT}, {@code q_ij = round(w_ij / scale_j)} clamped to ±LIMIT, zero point 0.
 */
record Int8Weights(byte[] values, float[] scales) {
  /**
   * ±127 would be the full range; with uint8 activations, x86 AVX2 kernels add pairs of u8·s8 products in
   * int16 ({@code vpmaddubsw}), which saturates beyond 2·255·63. Seven-bit weights keep every sum exact there
   * (ONNX Runtime's "reduce_range" advice for AVX2/AVX-512 machines without VNNI).
   */
  static final int LIMIT = 63;

  static Int8Weights perColumn(float[] kn, int k, int n) {
    float[] scales = new float[n];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < n; j++) {
        scales[j] = Math.max(scales[j], Math.abs(kn[i * n + j]));
      }
    }
    for (int j = 0; j < n; j++) {
      scales[j] = scales[j] == 0 ? 1f : scales[j] / LIMIT;
    }
    byte[] q = new byte[kn.length];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < n; j++) {
        long r = Math.round(kn[i * n + j] / scales[j]);
        q[i * n + j] = (byte) Math.max(-LIMIT, Math.min(LIMIT, r));
      }
    }
    return new Int8Weights(q, scales);
  }

  /** The dequantised matrix (tests: quantisation error). */
  float[] dequantized(int n) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] * scales[i % n];
    }
    return out;
  }
}

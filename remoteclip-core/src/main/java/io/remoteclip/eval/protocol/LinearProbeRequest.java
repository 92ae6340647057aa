package io.remoteclip.eval.protocol;

import io.remoteclip.eval.LinearProbe;

/**
 * Linear probe: logistic regression on the training rows, scored on the test rows.
 *
 * @param c inverse L2 strength when {@code search} is null
 * @param search choose C on a validation part of the training rows instead; {@code null} for a fixed C
 */
public record LinearProbeRequest(SupervisedInput data, double c, int maxIterations, CSearch search)
    implements EvalRequest {

  /**
   * C chosen from {@code grid} on a seeded per-class validation part ({@code validationFraction}) of the
   * training rows, then refitted on all of them.
   */
  public record CSearch(double[] grid, double validationFraction, long seed) {
    public static CSearch defaults(double validationFraction, long seed) {
      return new CSearch(LinearProbe.DEFAULT_C_GRID, validationFraction, seed);
    }
  }

  /** RemoteCLIP's fixed setting: C = 3.16, up to 1000 iterations. */
  public static LinearProbeRequest of(SupervisedInput data) {
    return new LinearProbeRequest(data, LinearProbe.DEFAULT_C, LinearProbe.DEFAULT_MAX_ITERATIONS, null);
  }

  @Override
  public Protocol protocol() {
    return Protocol.LINEAR_PROBE;
  }

  @Override
  public boolean needsEncoder() {
    return data instanceof SupervisedInput.Dataset;
  }
}

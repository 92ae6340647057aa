package io.remoteclip.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The golden README's tolerances and one way to assert them, reporting the worst element. */
public final class Tolerances {
  public static final double FEATURES_FP32 = 1e-5;
  public static final double FEATURES_FP16_VS_FP32 = 2e-3;
  public static final double TRAIN_LOSS_ABS = 1e-5;
  public static final double PARAMS_AFTER_STEP = 1e-4;
  public static final double GRADS = 1e-4;

  private Tolerances() {}

  /** ‖a − b‖₂ / ‖b‖₂ over the whole array. */
  public static double relativeError(float[] actual, float[] expected) {
    assertEquals(expected.length, actual.length, "element count");
    double num = 0;
    double den = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = (double) actual[i] - expected[i];
      num += d * d;
      den += (double) expected[i] * expected[i];
    }
    return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
  }

  public static void assertRelative(String what, float[] actual, float[] expected, double bound) {
    double rel = relativeError(actual, expected);
    if (!(rel < bound)) {
      int worst = 0;
      double worstDiff = -1;
      for (int i = 0; i < expected.length; i++) {
        double d = Math.abs((double) actual[i] - expected[i]);
        if (d > worstDiff) {
          worstDiff = d;
          worst = i;
        }
      }
      fail(String.format("%s: relative error %.3e >= %.1e; worst element %d: actual %g vs expected %g",
          what, rel, bound, worst, actual[worst], expected[worst]));
    }
  }
}

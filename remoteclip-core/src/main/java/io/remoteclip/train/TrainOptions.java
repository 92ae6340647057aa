package io.remoteclip.train;

import io.remoteclip.image.TrainTransform;
import io.remoteclip.model.Activation;
import java.nio.file.Path;

/**
 * Everything a training run needs. Exactly one of {@code model} (a checkpoint to continue from) and
 * {@code arch} (from scratch) is set.
 *
 * @param valSplit split of the {@code val} Karpathy JSON used for validation
 * @param saveEverySteps also write a resumable checkpoint every N optimizer steps (0: only per epoch)
 * @param clipNorm global gradient-norm clipping threshold (0: off)
 */
public record TrainOptions(
    Path model,
    String arch,
    Path vocab,
    Path configJson,
    Activation activation,
    float[] mean,
    float[] std,
    java.util.List<Path> train,
    String trainSplit,
    Path val,
    String valSplit,
    int epochs,
    int batchSize,
    int accum,
    double lr,
    double weightDecay,
    int warmup,
    double clipNorm,
    TrainTransform.Preset augment,
    Freeze freeze,
    Path out,
    long seed,
    int saveEverySteps,
    int loaderThreads) {

  /** A NaN or infinite hyper-parameter trains a NaN model without a word: refused here, whoever builds the options. */
  public TrainOptions {
    positive("lr", lr);
    atLeastZero("weight decay", weightDecay);
    atLeastZero("gradient clipping norm", clipNorm);
    for (float m : mean == null ? new float[0] : mean) {
      finite("mean", m);
    }
    for (float s : std == null ? new float[0] : std) {
      positive("std", s);
    }
  }

  private static void finite(String what, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(what + " must be a finite number, got " + v);
    }
  }

  private static void positive(String what, double v) {
    if (!(Double.isFinite(v) && v > 0)) {
      throw new IllegalArgumentException(what + " must be a finite number > 0, got " + v);
    }
  }

  private static void atLeastZero(String what, double v) {
    if (!(Double.isFinite(v) && v >= 0)) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
    }
  }
}

package io.remoteclip.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Few-shot linear probe: for each K and seed, K training images per class are sampled
 * ({@link Splits#kShot}, seed = {@code baseSeed + run}), a {@link LinearProbe} is fitted on them and
 * scored on the whole test set. Reports mean and population standard deviation of top-1 over seeds.
 */
public final class FewShot {
  public static final int[] DEFAULT_SHOTS = {1, 2, 4, 8, 16, 32};

  /** Top-1 of every seed for one K, with their mean and standard deviation (ddof = 0). */
  public record Shot(int k, List<Double> top1PerSeed, double mean, double std) {
    /** JSON-ready form: {@code k}, {@code top1_mean}, {@code top1_std}, {@code top1_per_seed}. */
    public java.util.Map<String, Object> summary() {
      java.util.Map<String, Object> x = new java.util.LinkedHashMap<>();
      x.put("k", k);
      x.put("top1_mean", mean);
      x.put("top1_std", std);
      x.put("top1_per_seed", top1PerSeed);
      return x;
    }
  }

  private FewShot() {}

  public static List<Shot> evaluate(float[][] train, int[] trainLabels, float[][] test, int[] testLabels,
      int classes, int[] shots, int seeds, long baseSeed, double c, int maxIterations,
      io.remoteclip.ProgressListener progress) {
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds=" + seeds);
    }
    List<Shot> out = new ArrayList<>();
    progress.start("few-shot", (long) shots.length * seeds);
    try {
      int done = 0;
      for (int k : shots) {
        List<Double> accs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          int[] idx = Splits.kShot(trainLabels, k, baseSeed + s);
          LinearProbe.Result r = LinearProbe.evaluate(Splits.rows(train, idx), Splits.at(trainLabels, idx), test,
              testLabels, classes, c, maxIterations);
          accs.add(r.metrics().top1());
          progress.update(++done);
        }
        double mean = accs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = accs.stream().mapToDouble(a -> (a - mean) * (a - mean)).average().orElse(Double.NaN);
        out.add(new Shot(k, List.copyOf(accs), mean, Math.sqrt(var)));
      }
    } finally {
      progress.finish();
    }
    return out;
  }
}

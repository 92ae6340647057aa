package io.remoteclip.eval;

import io.remoteclip.vector.Vectors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear probe: multinomial logistic regression on L2-normalised frozen image features. Either with a
 * fixed C (RemoteCLIP's code: C = 3.16, up to 1000 iterations) or with C chosen by validation accuracy
 * over a grid, then refitted on train + validation (CLIP_benchmark's approach).
 */
public final class LinearProbe {
  /** RemoteCLIP's inverse regularisation strength. */
  public static final double DEFAULT_C = 3.16;
  public static final int DEFAULT_MAX_ITERATIONS = 1000;
  /** Searched values of C: 10^-3 … 10^3 in half-decade steps. */
  public static final double[] DEFAULT_C_GRID = {1e-3, 3.16e-3, 1e-2, 3.16e-2, 0.1, 0.316, 1, 3.16, 10, 31.6, 100, 316, 1000};

  /** Accuracy on the test rows, the C used, and (after a search) validation top-1 per C. */
  public record Result(ClassificationMetrics metrics, double c, Map<Double, Double> validationTop1,
      int iterations, boolean converged) {}

  private LinearProbe() {}

  public static Result evaluate(float[][] train, int[] trainLabels, float[][] test, int[] testLabels, int classes,
      double c, int maxIterations) {
    LogisticRegression model =
        LogisticRegression.fit(Vectors.normalizedRows(train), trainLabels, classes, c, maxIterations);
    float[][] scores = model.decisionFunction(Vectors.normalizedRows(test));
    return new Result(ClassificationMetrics.fromScores(scores, testLabels, classes), c, Map.of(),
        model.iterations(), model.converged());
  }

  /**
   * Picks C on ({@code val}, {@code valLabels}) — the smallest C among those with the best validation
   * top-1 — then fits on train + val with it and scores {@code test}.
   */
  public static Result searchAndEvaluate(float[][] train, int[] trainLabels, float[][] val, int[] valLabels,
      float[][] test, int[] testLabels, int classes, double[] grid, int maxIterations,
      io.remoteclip.ProgressListener progress) {
    Map<Double, Double> byC = new LinkedHashMap<>();
    double bestC = grid[0];
    double best = -1;
    float[][] trainN = Vectors.normalizedRows(train);
    float[][] valN = Vectors.normalizedRows(val);
    progress.start("searching C", grid.length);
    int done = 0;
    for (double c : grid) {
      LogisticRegression m = LogisticRegression.fit(trainN, trainLabels, classes, c, maxIterations);
      double top1 = ClassificationMetrics.fromScores(m.decisionFunction(valN), valLabels, classes).top1();
      byC.put(c, top1);
      if (top1 > best) {
        best = top1;
        bestC = c;
      }
      progress.update(++done);
    }
    progress.finish();
    float[][] all = new float[train.length + val.length][];
    int[] allLabels = new int[all.length];
    System.arraycopy(train, 0, all, 0, train.length);
    System.arraycopy(val, 0, all, train.length, val.length);
    System.arraycopy(trainLabels, 0, allLabels, 0, train.length);
    System.arraycopy(valLabels, 0, allLabels, train.length, val.length);
    Result r = evaluate(all, allLabels, test, testLabels, classes, bestC, maxIterations);
    return new Result(r.metrics(), bestC, byC, r.iterations(), r.converged());
  }
}

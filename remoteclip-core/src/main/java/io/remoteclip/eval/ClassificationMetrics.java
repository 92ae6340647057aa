package io.remoteclip.eval;

import io.remoteclip.vector.Vectors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores of a classifier on labelled items. Percentages are 0–100. {@code top5} is {@code NaN} when
 * there are fewer than five classes. {@code confusion[true][predicted]} counts items.
 *
 * <p>Ranking rule: a class ranks above the true class when its score is greater, or equal with a smaller
 * class index (so top-1 is {@code argmax} with the first maximum winning, as numpy and torch do).
 */
public record ClassificationMetrics(int count, double top1, double top5, double meanPerClassRecall,
    double[] perClassRecall, int[][] confusion) {

  /** Metrics of scores [items, classes] against {@code labels}. */
  public static ClassificationMetrics fromScores(float[][] scores, int[] labels, int classes) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException("scores=" + scores.length + " rows but labels=" + labels.length);
    }
    int[][] confusion = new int[classes][classes];
    int top1 = 0;
    int top5 = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i].length != classes) {
        throw new IllegalArgumentException("row " + i + " has " + scores[i].length + " scores, classes=" + classes);
      }
      checkLabel(labels[i], classes, i);
      int rank = Vectors.rankOf(scores[i], labels[i]);
      confusion[labels[i]][Vectors.argmax(scores[i])]++;
      top1 += rank < 1 ? 1 : 0;
      top5 += rank < 5 ? 1 : 0;
    }
    return fromConfusion(confusion, top1, classes >= 5 ? top5 : -1);
  }

  /** Metrics of hard predictions (top-5 not defined). */
  public static ClassificationMetrics fromPredictions(int[] predicted, int[] labels, int classes) {
    int[][] confusion = new int[classes][classes];
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      checkLabel(labels[i], classes, i);
      confusion[labels[i]][predicted[i]]++;
      correct += predicted[i] == labels[i] ? 1 : 0;
    }
    return fromConfusion(confusion, correct, -1);
  }

  private static ClassificationMetrics fromConfusion(int[][] confusion, int top1, int top5) {
    int classes = confusion.length;
    int n = 0;
    double[] recall = new double[classes];
    double recallSum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      int row = 0;
      for (int v : confusion[c]) {
        row += v;
      }
      n += row;
      recall[c] = row == 0 ? Double.NaN : 100.0 * confusion[c][c] / row;
      if (row > 0) {
        recallSum += recall[c];
        present++;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("no items to score");
    }
    return new ClassificationMetrics(n, 100.0 * top1 / n, top5 < 0 ? Double.NaN : 100.0 * top5 / n,
        recallSum / present, recall, confusion);
  }

  private static void checkLabel(int label, int classes, int row) {
    if (label < 0 || label >= classes) {
      throw new IllegalArgumentException("label " + label + " of row " + row + " outside 0.." + (classes - 1));
    }
  }

  /** The scalar metrics under their JSON keys ({@code top5} omitted when undefined). */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("top1", top1);
    if (!Double.isNaN(top5)) {
      m.put("top5", top5);
    }
    m.put("mean_per_class_recall", meanPerClassRecall);
    return m;
  }
}

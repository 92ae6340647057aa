package io.remoteclip.eval;

import io.remoteclip.vector.Vectors;

/**
 * Weighted k-nearest-neighbour classifier on cosine similarity (DINO / ITRA style): the k most similar
 * training rows vote for their class with weight {@code exp(sim / T)}. Neighbours with equal similarity
 * are taken in training-row order; a class vote tie goes to the smaller class index.
 */
public final class Knn {
  public static final int DEFAULT_K = 20;
  public static final double DEFAULT_TEMPERATURE = 0.07;

  private Knn() {}

  /** Vote totals [test rows, classes]. */
  public static float[][] votes(float[][] train, int[] trainLabels, float[][] test, int classes, int k,
      double temperature) {
    if (k < 1 || !(temperature > 0)) {
      throw new IllegalArgumentException("k=" + k + " temperature=" + temperature);
    }
    float[][] trainN = Vectors.normalizedRows(train);
    float[][] testN = Vectors.normalizedRows(test);
    Vectors.checkSameDimension(trainN, testN);
    int kk = Math.min(k, trainN.length);
    float[][] out = new float[testN.length][classes];
    float[] sims = new float[trainN.length];
    for (int i = 0; i < testN.length; i++) {
      for (int j = 0; j < trainN.length; j++) {
        sims[j] = (float) Vectors.dot(testN[i], trainN[j]);
      }
      for (int j : topIndices(sims, kk)) {
        out[i][trainLabels[j]] += (float) Math.exp(sims[j] / temperature);
      }
    }
    return out;
  }

  public static ClassificationMetrics evaluate(float[][] train, int[] trainLabels, float[][] test, int[] testLabels,
      int classes, int k, double temperature) {
    return ClassificationMetrics.fromScores(votes(train, trainLabels, test, classes, k, temperature), testLabels,
        classes);
  }

  /** Indices of the {@code k} largest values, largest first, earlier index first on ties. */
  static int[] topIndices(float[] v, int k) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> v[a] != v[b] ? Float.compare(v[b], v[a]) : Integer.compare(a, b));
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = idx[i];
    }
    return out;
  }
}

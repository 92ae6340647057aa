package io.remoteclip.eval;

import io.remoteclip.vector.Vectors;

/**
 * Scores a RemoteCount-style benchmark: each image ranks its ten count captions by cosine similarity;
 * ties go to the smaller count.
 */
public final class Counting {
  private static final int N = CountingCaptions.MAX_COUNT;

  private Counting() {}

  /**
   * @param images image embeddings [items, D]
   * @param captions caption embeddings [items × 10, D], item after item, counts 1..10 within an item
   * @param counts true count (1..10) of each item
   */
  public static CountingMetrics evaluate(float[][] images, float[][] captions, int[] counts) {
    if (captions.length != images.length * N || counts.length != images.length) {
      throw new IllegalArgumentException("images=" + images.length + " captions=" + captions.length
          + " (expected " + images.length * N + ") counts=" + counts.length);
    }
    int[][] confusion = new int[N][N];
    int top1 = 0;
    int top3 = 0;
    long absError = 0;
    float[] s = new float[N];
    for (int i = 0; i < images.length; i++) {
      if (counts[i] < 1 || counts[i] > N) {
        throw new IllegalArgumentException("count " + counts[i] + " of item " + i + " outside 1..10");
      }
      float[] img = Vectors.normalized(images[i]);
      for (int c = 0; c < N; c++) {
        s[c] = (float) Vectors.dot(img, Vectors.normalized(captions[i * N + c]));
      }
      int predicted = Vectors.argmax(s) + 1;
      int rank = Vectors.rankOf(s, counts[i] - 1);
      top1 += rank < 1 ? 1 : 0;
      top3 += rank < 3 ? 1 : 0;
      absError += Math.abs(predicted - counts[i]);
      confusion[counts[i] - 1][predicted - 1]++;
    }
    int n = images.length;
    return new CountingMetrics(n, 100.0 * top1 / n, 100.0 * top3 / n, (double) absError / n, confusion);
  }
}

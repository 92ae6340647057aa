package io.remoteclip.eval;

import io.remoteclip.vector.Vectors;

/**
 * Image–text retrieval scored as RemoteCLIP's {@code retrieval.py} (CLIP_benchmark's
 * {@code recall_at_k}): scores = normalised text × normalised image; image→text R@K is the share of
 * images with at least one of their captions among the K best texts; text→image R@K is the share of
 * captions whose image is among the K best images.
 *
 * <p>Rules where the reference is silent or fails: equal scores are ordered by gallery index (a stable
 * descending sort — the reference's {@code torch.topk} leaves this unspecified); a K larger than the
 * gallery retrieves the whole gallery (the reference raises an error).
 */
public final class Retrieval {
  private Retrieval() {}

  /**
   * @param images image embeddings [images, D]
   * @param texts caption embeddings [texts, D]
   * @param textToImage for each caption, the row of its image
   */
  public static RetrievalMetrics evaluate(float[][] images, float[][] texts, int[] textToImage) {
    if (textToImage.length != texts.length) {
      throw new IllegalArgumentException("texts=" + texts.length + " but textToImage has " + textToImage.length);
    }
    for (int t = 0; t < textToImage.length; t++) {
      if (textToImage[t] < 0 || textToImage[t] >= images.length) {
        throw new IllegalArgumentException("caption " + t + " maps to image " + textToImage[t] + ", images=" + images.length);
      }
    }
    float[][] scores = Vectors.similarities(Vectors.normalizedRows(texts), Vectors.normalizedRows(images));
    int[] i2tRank = new int[images.length];
    java.util.Arrays.fill(i2tRank, Integer.MAX_VALUE);
    float[] column = new float[texts.length];
    for (int i = 0; i < images.length; i++) {
      for (int t = 0; t < texts.length; t++) {
        column[t] = scores[t][i];
      }
      for (int t = 0; t < texts.length; t++) {
        if (textToImage[t] == i) {
          i2tRank[i] = Math.min(i2tRank[i], Vectors.rankOf(column, t));
        }
      }
    }
    int[] t2iRank = new int[texts.length];
    for (int t = 0; t < texts.length; t++) {
      t2iRank[t] = Vectors.rankOf(scores[t], textToImage[t]);
    }
    return new RetrievalMetrics(images.length, texts.length,
        recall(i2tRank, 1), recall(i2tRank, 5), recall(i2tRank, 10),
        recall(t2iRank, 1), recall(t2iRank, 5), recall(t2iRank, 10));
  }

  /** Share (percent) of 0-based ranks below k; an image without captions never counts as a hit. */
  private static double recall(int[] ranks, int k) {
    int hits = 0;
    for (int r : ranks) {
      hits += r < k ? 1 : 0;
    }
    return 100.0 * hits / ranks.length;
  }
}

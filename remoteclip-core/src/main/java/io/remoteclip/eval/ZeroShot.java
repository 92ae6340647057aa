package io.remoteclip.eval;

/**
 * Zero-shot classification: each image is assigned the class whose vector has the highest cosine
 * similarity with it.
 */
public final class ZeroShot {
  private ZeroShot() {}

  /** Cosine scores [images, classes]. */
  public static float[][] scores(float[][] images, float[][] classVectors) {
    return Vectors.similarities(Vectors.normalizedRows(images), Vectors.normalizedRows(classVectors));
  }

  public static ClassificationMetrics evaluate(float[][] images, int[] labels, float[][] classVectors) {
    return ClassificationMetrics.fromScores(scores(images, classVectors), labels, classVectors.length);
  }
}

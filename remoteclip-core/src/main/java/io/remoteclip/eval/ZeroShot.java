package io.remoteclip.eval;

import io.remoteclip.vector.Vectors;

/**
 * Zero-shot classification: each image is assigned the class whose vector has the highest cosine
 * similarity with it.
 */
public final class ZeroShot {
  private ZeroShot() {}

  /**
   * At least two classes, or a {@link DataFormatException} naming {@code source}: with one class every image is
   * "right" and top-1 is 100 % whatever the embeddings.
   */
  public static void requireClasses(java.util.List<String> classNames, Object source)
      throws io.remoteclip.DataFormatException {
    if (classNames.size() < 2) {
      throw new io.remoteclip.DataFormatException(source + ": zero-shot needs at least two classes, got "
          + classNames.size() + " " + classNames);
    }
  }

  /** Cosine scores [images, classes]. */
  public static float[][] scores(float[][] images, float[][] classVectors) {
    return Vectors.similarities(Vectors.normalizedRows(images), Vectors.normalizedRows(classVectors));
  }

  public static ClassificationMetrics evaluate(float[][] images, int[] labels, float[][] classVectors) {
    return ClassificationMetrics.fromScores(scores(images, classVectors), labels, classVectors.length);
  }
}

package io.remoteclip;

/**
 * Embeddings must be finite: a NaN compares false with everything, so an argmax, a ranking or an accuracy built
 * on one is silently wrong (all-NaN rows score 100 % top-1). Every reader of embeddings (arrays, caches, tables,
 * indexes) and every model output is checked here, so that they all refuse with the same words.
 */
public final class FiniteRows {
  private FiniteRows() {}

  /** True when every value of {@code row} is a finite number. */
  public static boolean isFinite(float[] row) {
    for (float v : row) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** Index of the first row holding a NaN or an infinity, or -1. */
  public static int firstNonFinite(float[][] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (!isFinite(rows[i])) {
        return i;
      }
    }
    return -1;
  }

  /** {@code rows}, or a {@link DataFormatException} naming {@code source} and the first non-finite row. */
  public static float[][] require(float[][] rows, Object source) throws DataFormatException {
    int i = firstNonFinite(rows);
    if (i >= 0) {
      throw new DataFormatException(problem(source, "embedding row " + i));
    }
    return rows;
  }

  /** {@code source: what is not finite (NaN or infinity)}, the one wording of this problem. */
  public static String problem(Object source, String what) {
    return source + ": " + what + " is not finite (NaN or infinity)";
  }
}

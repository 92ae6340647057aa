package io.remoteclip.vector;

/** Small dense-vector helpers on {@code float[]} rows (accumulation in double). */
public final class Vectors {
  private Vectors() {}

  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("dimension mismatch: " + a.length + " vs " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  public static double norm(float[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** {@code a / max(‖a‖, 1e-12)}, as torch's {@code F.normalize}. */
  public static float[] normalized(float[] a) {
    double n = Math.max(norm(a), 1e-12);
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (float) (a[i] / n);
    }
    return out;
  }

  public static float[][] normalizedRows(float[][] m) {
    float[][] out = new float[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = normalized(m[i]);
    }
    return out;
  }

  /** {@code a · bᵀ}: [rows of a, rows of b]. */
  public static float[][] similarities(float[][] a, float[][] b) {
    checkSameDimension(a, b);
    float[][] s = new float[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        s[i][j] = (float) dot(a[i], b[j]);
      }
    }
    return s;
  }

  public static void checkSameDimension(float[][] a, float[][] b) {
    if (a.length > 0 && b.length > 0 && a[0].length != b[0].length) {
      throw new IllegalArgumentException("embedding dimensions differ: " + a[0].length + " vs " + b[0].length);
    }
  }

  /** Index of the largest value; the first one on ties (numpy/torch {@code argmax}). */
  public static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * 0-based rank of entry {@code target} when {@code v} is sorted descending with ties in index order:
   * the number of entries greater than it plus the equal ones before it.
   */
  public static int rankOf(float[] v, int target) {
    float t = v[target];
    int rank = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] > t || (v[i] == t && i < target)) {
        rank++;
      }
    }
    return rank;
  }
}

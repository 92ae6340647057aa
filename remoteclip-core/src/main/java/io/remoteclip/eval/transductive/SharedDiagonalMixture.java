package io.remoteclip.eval.transductive;

/**
 * TransCLIP's mixture: one Gaussian per class with an L2-normalised mean and a diagonal covariance shared
 * by all classes. Mixing weights are equal and the normalising constant is the same for every class, so
 * both drop out of the assignments and the log-likelihood is kept up to them, as in the reference.
 */
final class SharedDiagonalMixture {
  /** Rows per partial sum when refitting; fixed, so the result does not depend on the thread count. */
  private static final int CHUNK = 4096;
  /** Floor of a variance: a constant dimension (variance 0) would otherwise divide by zero. */
  private static final double MIN_VARIANCE = 1e-12;

  private final double[][] means; // [K][D]
  private final double[] variance; // [D]

  private SharedDiagonalMixture(double[][] means, double[] variance) {
    this.means = means;
    this.variance = variance;
  }

  /**
   * Initial means from each class's {@code perClass} highest assignments (their images weighted by the
   * assignment, then normalised), and variance 1/D in every dimension.
   */
  static SharedDiagonalMixture initial(float[][] x, double[][] z, int perClass) {
    int n = x.length;
    int dim = x[0].length;
    int classes = z[0].length;
    int top = Math.min(perClass, n);
    double[][] means = new double[classes][dim];
    for (int c = 0; c < classes; c++) {
      for (int i : mostConfident(z, c, top)) {
        for (int p = 0; p < dim; p++) {
          means[c][p] += z[i][c] * x[i][p];
        }
      }
      normalize(means[c]);
    }
    double[] variance = new double[dim];
    java.util.Arrays.fill(variance, 1.0 / dim);
    return new SharedDiagonalMixture(means, variance);
  }

  /** Indices of the {@code top} largest z[·][c], larger first, ties to the smaller index. */
  private static int[] mostConfident(double[][] z, int c, int top) {
    int[] best = new int[top];
    double[] val = new double[top];
    int filled = 0;
    for (int i = 0; i < z.length; i++) {
      double v = z[i][c];
      if (filled == top && !(v > val[top - 1])) {
        continue;
      }
      int pos = filled < top ? filled++ : top - 1;
      while (pos > 0 && v > val[pos - 1]) {
        val[pos] = val[pos - 1];
        best[pos] = best[pos - 1];
        pos--;
      }
      val[pos] = v;
      best[pos] = i;
    }
    return best;
  }

  /**
   * {@code out[i][c] = -½ Σ_p (x_ip − μ_cp)² / σ²_p}, expanded as −½(Σ x²/σ² − 2 x·(μ_c/σ²) + Σ μ_c²/σ²) so
   * that the cross term is one blocked product.
   */
  void logLikelihoods(float[][] x, double[][] out, int threads) {
    int classes = means.length;
    int dim = variance.length;
    float[][] scaledMeans = new float[classes][dim];
    double[] meanTerm = new double[classes];
    for (int c = 0; c < classes; c++) {
      for (int p = 0; p < dim; p++) {
        scaledMeans[c][p] = (float) (means[c][p] / variance[p]);
        meanTerm[c] += means[c][p] * means[c][p] / variance[p];
      }
    }
    double[] inverse = new double[dim];
    for (int p = 0; p < dim; p++) {
      inverse[p] = 1 / variance[p];
    }
    float[][] cross = DotTiles.products(x, scaledMeans, threads);
    Parallel.forEach(Parallel.chunks(x.length, CHUNK), threads, t -> {
      int end = Math.min(x.length, (t + 1) * CHUNK);
      for (int i = t * CHUNK; i < end; i++) {
        double q = 0;
        float[] row = x[i];
        for (int p = 0; p < dim; p++) {
          q += row[p] * (double) row[p] * inverse[p];
        }
        for (int c = 0; c < classes; c++) {
          out[i][c] = -0.5 * (q - 2 * (double) cross[i][c] + meanTerm[c]);
        }
      }
    });
  }

  /**
   * The reference's mean update (μ_c ∝ Σ_i z_ic x_i, normalised) followed by its variance update with the
   * new means: σ²_p = Σ_ic z_ic (x_ip − μ_cp)² / Σ_ic z_ic.
   */
  void refit(float[][] x, double[][] z, int threads) {
    int classes = means.length;
    int dim = variance.length;
    int chunks = Parallel.chunks(x.length, CHUNK);
    Moments[] partial = new Moments[chunks];
    Parallel.forEach(chunks, threads, t -> partial[t] = Moments.of(x, z, t * CHUNK, Math.min(x.length, (t + 1) * CHUNK)));
    Moments total = partial[0];
    for (int t = 1; t < chunks; t++) {
      total.add(partial[t]);
    }
    double mass = 0;
    for (int c = 0; c < classes; c++) {
      mass += total.mass[c];
      System.arraycopy(total.sums[c], 0, means[c], 0, dim);
      normalize(means[c]);
    }
    for (int p = 0; p < dim; p++) {
      // Σ_ic z_ic (x − μ)² = Σ_i (Σ_c z_ic) x² − 2 Σ_c μ_c · S_c + Σ_c n_c μ_c²
      double v = total.squares[p];
      for (int c = 0; c < classes; c++) {
        v += means[c][p] * (total.mass[c] * means[c][p] - 2 * total.sums[c][p]);
      }
      variance[p] = Math.max(MIN_VARIANCE, v / mass);
    }
  }

  private static void normalize(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d * d;
    }
    double norm = Math.max(Math.sqrt(s), 1e-12);
    for (int p = 0; p < v.length; p++) {
      v[p] /= norm;
    }
  }

  /** Σ_i z_ic x_i (sums), Σ_i z_ic (mass) and Σ_i (Σ_c z_ic) x_i² (squares) over a range of rows. */
  private record Moments(double[][] sums, double[] mass, double[] squares) {
    static Moments of(float[][] x, double[][] z, int from, int to) {
      int classes = z[0].length;
      int dim = x[0].length;
      Moments m = new Moments(new double[classes][dim], new double[classes], new double[dim]);
      for (int i = from; i < to; i++) {
        float[] row = x[i];
        double rowMass = 0;
        for (int c = 0; c < classes; c++) {
          double w = z[i][c];
          rowMass += w;
          m.mass[c] += w;
          double[] s = m.sums[c];
          for (int p = 0; p < dim; p++) {
            s[p] += w * row[p];
          }
        }
        for (int p = 0; p < dim; p++) {
          m.squares[p] += rowMass * row[p] * row[p];
        }
      }
      return m;
    }

    void add(Moments o) {
      for (int c = 0; c < mass.length; c++) {
        mass[c] += o.mass[c];
        for (int p = 0; p < squares.length; p++) {
          sums[c][p] += o.sums[c][p];
        }
      }
      for (int p = 0; p < squares.length; p++) {
        squares[p] += o.squares[p];
      }
    }
  }
}

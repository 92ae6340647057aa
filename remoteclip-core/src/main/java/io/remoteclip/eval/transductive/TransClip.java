package io.remoteclip.eval.transductive;

import io.remoteclip.FiniteRows;
import io.remoteclip.eval.transductive.TransClipInputException.Input;

/**
 * The TransCLIP solver in zero-shot mode, after {@code TransCLIP_solver} of RS-TransCLIP (El Khoury,
 * Zanella et al., ICASSP 2025): a block-coordinate descent over the assignments z, the class means μ and a
 * shared diagonal variance σ².
 *
 * <ol>
 *   <li>ŷ = softmax(textScale · cos(x_i, t_c)); z = ŷ; μ_c from each class's most confident images;
 *       σ² = 1/D.
 *   <li>Repeat {@code iterations} times, then once more for z only:
 *       <ul>
 *         <li>z: {@code assignmentIterations} fixed-point steps of
 *             z_i ∝ ŷ_i^λ · exp((log N(x_i; μ_c, σ²) + (T / 2k) Σ_j (W_ij + W_ji) z_j) / T), with T the
 *             likelihood temperature (50) and W the k-NN affinity ({@link KnnGraph});
 *         <li>μ_c ∝ Σ_i z_ic x_i (normalised), then σ² = Σ_ic z_ic (x_i − μ_c)² / Σ_ic z_ic.
 *       </ul>
 * </ol>
 *
 * Image and class rows are L2-normalised first, as the reference does. Computation is in double except
 * the blocked dot products (float with exact fused multiply-add).
 */
public final class TransClip {
  private TransClip() {}

  /** Classifies {@code images} [N, D] jointly against {@code classVectors} [K, D]. */
  public static TransClipResult solve(float[][] images, float[][] classVectors, TransClipOptions options)
      throws TransClipInputException {
    Batch b = Batch.of(images, classVectors, options.neighbors());
    return solve(b, KnnGraph.exact(b.x, options.neighbors(), options.threads()), options);
  }

  /**
   * As {@link #solve(float[][], float[][], TransClipOptions)} with a graph already built over the same
   * images by {@link #graph}, e.g. to try several prompt sets on one batch. {@code graph.k()} overrides
   * {@code options.neighbors()}.
   */
  public static TransClipResult solve(float[][] images, float[][] classVectors, KnnGraph graph,
      TransClipOptions options) throws TransClipInputException {
    Batch b = Batch.of(images, classVectors, graph.k());
    if (graph.size() != b.x.length) {
      throw new IllegalArgumentException("graph over " + graph.size() + " rows, images=" + b.x.length);
    }
    return solve(b, graph, options);
  }

  /** The k-NN graph the solver builds for {@code images}. */
  public static KnnGraph graph(float[][] images, TransClipOptions options) throws TransClipInputException {
    float[][] x = unitRows(images, Input.IMAGES, "image", -1);
    checkEnoughForGraph(x.length, options.neighbors());
    return KnnGraph.exact(x, options.neighbors(), options.threads());
  }

  /** Normalised, checked images x [N, D] and class vectors t [K, D]. */
  private record Batch(float[][] x, float[][] t) {
    static Batch of(float[][] images, float[][] classVectors, int neighbors) throws TransClipInputException {
      float[][] x = unitRows(images, Input.IMAGES, "image", -1);
      if (classVectors.length == 0) {
        throw new TransClipInputException(Input.CLASSES, "no class embeddings");
      }
      float[][] t = unitRows(classVectors, Input.CLASSES, "class", x[0].length);
      if (x.length < t.length) {
        throw new TransClipInputException(Input.IMAGES, "transductive zero-shot needs at least as many images as "
            + "classes: " + x.length + " image(s), " + t.length + " classes");
      }
      checkEnoughForGraph(x.length, neighbors);
      return new Batch(x, t);
    }
  }

  private static void checkEnoughForGraph(int n, int neighbors) throws TransClipInputException {
    if (n <= neighbors) {
      throw new TransClipInputException(Input.IMAGES, "transductive zero-shot needs more images than its "
          + neighbors + " neighbours per image: " + n + " image(s)");
    }
  }

  private static TransClipResult solve(Batch b, KnnGraph graph, TransClipOptions o) {
    float[][] x = b.x;
    float[][] t = b.t;
    int n = x.length;
    int classes = t.length;
    int threads = o.threads();
    double[][] textProbabilities = softmaxRows(DotTiles.products(x, t, threads), o.textScale());
    double[][] prior = powRows(textProbabilities, o.textWeight());
    double[][] z = copy(textProbabilities);
    SharedDiagonalMixture mixture = SharedDiagonalMixture.initial(x, z, o.pseudoLabelsPerClass());
    double[][] logLikelihood = new double[n][classes];
    double[][] laplacian = new double[n][classes];
    for (int it = 0; ; it++) {
      mixture.logLikelihoods(x, logLikelihood, threads);
      for (int step = 0; step < o.assignmentIterations(); step++) {
        graph.symmetricProduct(z, laplacian, threads);
        updateAssignments(z, prior, logLikelihood, laplacian, o.likelihoodTemperature(), graph.k(), threads);
      }
      if (it == o.iterations()) {
        break;
      }
      mixture.refit(x, z, threads);
    }
    return new TransClipResult(toFloat(z), toFloat(textProbabilities));
  }

  /**
   * z_ic ∝ prior_ic · exp((g_ic + (T / 2k) · lap_ic − max_c) / T), the reference's {@code update_z}
   * step (the maximum is subtracted for range only).
   */
  private static void updateAssignments(double[][] z, double[][] prior, double[][] g, double[][] lap,
      double temperature, int k, int threads) {
    double laplacianWeight = temperature / (2.0 * k);
    int chunk = 2048;
    Parallel.forEach(Parallel.chunks(z.length, chunk), threads, t -> {
      int end = Math.min(z.length, (t + 1) * chunk);
      for (int i = t * chunk; i < end; i++) {
        double[] zi = z[i];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < zi.length; c++) {
          zi[c] = g[i][c] + laplacianWeight * lap[i][c];
          max = Math.max(max, zi[c]);
        }
        double sum = 0;
        for (int c = 0; c < zi.length; c++) {
          zi[c] = prior[i][c] * Math.exp((zi[c] - max) / temperature);
          sum += zi[c];
        }
        if (!(sum > 0)) { // every class with prior mass far below the likelihood's favourite: keep the prior
          System.arraycopy(prior[i], 0, zi, 0, zi.length);
          sum = 0;
          for (double v : zi) {
            sum += v;
          }
        }
        for (int c = 0; c < zi.length; c++) {
          zi[c] /= sum;
        }
      }
    });
  }

  /**
   * L2-normalised copy; rejects empty, ragged, non-finite and all-zero rows and, when {@code dim >= 0}, a
   * dimension other than {@code dim}.
   */
  static float[][] unitRows(float[][] rows, Input input, String what, int dim) throws TransClipInputException {
    if (rows.length == 0) {
      throw new TransClipInputException(input, "no " + what + " embeddings");
    }
    int expected = dim >= 0 ? dim : rows[0].length;
    if (expected == 0) {
      throw new TransClipInputException(input, what + " embeddings have dimension 0");
    }
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      float[] r = rows[i];
      if (r.length != expected) {
        throw new TransClipInputException(input, what + " embeddings have dimension " + r.length
            + (dim >= 0 ? " but image embeddings have " + dim : " in row " + i + " but " + expected + " in row 0"));
      }
      if (!FiniteRows.isFinite(r)) {
        throw new TransClipInputException(input, what + " embedding row " + i + " is not finite (NaN or infinity)");
      }
      double s = 0;
      for (float v : r) {
        s += (double) v * v;
      }
      if (s == 0) {
        throw new TransClipInputException(input, what + " embedding row " + i + " is all zeros");
      }
      double norm = Math.sqrt(s);
      float[] u = new float[r.length];
      for (int p = 0; p < r.length; p++) {
        u[p] = (float) (r[p] / norm);
      }
      out[i] = u;
    }
    return out;
  }

  private static double[][] softmaxRows(float[][] cosines, double scale) {
    double[][] out = new double[cosines.length][];
    for (int i = 0; i < cosines.length; i++) {
      float[] row = cosines[i];
      double max = Double.NEGATIVE_INFINITY;
      for (float v : row) {
        max = Math.max(max, scale * v);
      }
      double[] p = new double[row.length];
      double sum = 0;
      for (int c = 0; c < row.length; c++) {
        p[c] = Math.exp(scale * row[c] - max);
        sum += p[c];
      }
      for (int c = 0; c < row.length; c++) {
        p[c] /= sum;
      }
      out[i] = p;
    }
    return out;
  }

  private static double[][] powRows(double[][] m, double exponent) {
    if (exponent == 1) {
      return m;
    }
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = new double[m[i].length];
      for (int c = 0; c < m[i].length; c++) {
        out[i][c] = Math.pow(m[i][c], exponent);
      }
    }
    return out;
  }

  private static double[][] copy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }

  private static float[][] toFloat(double[][] m) {
    float[][] out = new float[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = new float[m[i].length];
      for (int c = 0; c < m[i].length; c++) {
        out[i][c] = (float) m[i][c];
      }
    }
    return out;
  }
}

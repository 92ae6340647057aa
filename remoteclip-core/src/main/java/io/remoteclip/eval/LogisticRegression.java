package io.remoteclip.eval;

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the bias), fitted with L-BFGS.
 * Same objective as scikit-learn's {@code LogisticRegression(C=C)} (lbfgs, multinomial):
 * {@code mean cross-entropy + ‖W‖² / (2·C·n)}.
 */
public final class LogisticRegression {
  private final double[][] weights; // [classes, dim + 1], bias last
  private final int iterations;
  private final boolean converged;

  private LogisticRegression(double[][] weights, int iterations, boolean converged) {
    this.weights = weights;
    this.iterations = iterations;
    this.converged = converged;
  }

  /** Fits on rows {@code x} [n, dim] with labels in {@code 0..classes-1}. */
  public static LogisticRegression fit(float[][] x, int[] labels, int classes, double c, int maxIterations) {
    if (x.length != labels.length || x.length == 0) {
      throw new IllegalArgumentException("rows=" + x.length + " labels=" + labels.length);
    }
    if (!(c > 0 && c < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("C=" + c + " (must be finite and > 0)");
    }
    int n = x.length;
    int dim = x[0].length;
    int width = dim + 1;
    double[][] xs = new double[n][];
    for (int i = 0; i < n; i++) {
      xs[i] = new double[dim];
      for (int j = 0; j < dim; j++) {
        xs[i][j] = x[i][j];
      }
    }
    double lambda = 1.0 / (c * n);
    Lbfgs.Objective objective = (w, grad) -> {
      java.util.Arrays.fill(grad, 0);
      double loss = 0;
      double[] logits = new double[classes];
      for (int i = 0; i < n; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
          int off = k * width;
          double z = w[off + dim];
          double[] xi = xs[i];
          for (int j = 0; j < dim; j++) {
            z += w[off + j] * xi[j];
          }
          logits[k] = z;
          max = Math.max(max, z);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
          logits[k] = Math.exp(logits[k] - max);
          sum += logits[k];
        }
        loss += Math.log(sum) + max - (Math.log(logits[labels[i]]) + max);
        for (int k = 0; k < classes; k++) {
          double r = (logits[k] / sum - (k == labels[i] ? 1 : 0)) / n;
          int off = k * width;
          double[] xi = xs[i];
          for (int j = 0; j < dim; j++) {
            grad[off + j] += r * xi[j];
          }
          grad[off + dim] += r;
        }
      }
      double penalty = 0;
      for (int k = 0; k < classes; k++) {
        int off = k * width;
        for (int j = 0; j < dim; j++) {
          penalty += w[off + j] * w[off + j];
          grad[off + j] += lambda * w[off + j];
        }
      }
      return loss / n + 0.5 * lambda * penalty;
    };
    Lbfgs.Result r = Lbfgs.withMaxIterations(maxIterations).minimize(objective, new double[classes * width]);
    double[][] weights = new double[classes][width];
    for (int k = 0; k < classes; k++) {
      System.arraycopy(r.x(), k * width, weights[k], 0, width);
    }
    return new LogisticRegression(weights, r.iterations(), r.converged());
  }

  /** Logits [rows, classes]. */
  public float[][] decisionFunction(float[][] x) {
    int dim = weights[0].length - 1;
    float[][] out = new float[x.length][weights.length];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != dim) {
        throw new IllegalArgumentException("row " + i + " has dimension " + x[i].length + ", model expects " + dim);
      }
      for (int k = 0; k < weights.length; k++) {
        double z = weights[k][dim];
        for (int j = 0; j < dim; j++) {
          z += weights[k][j] * x[i][j];
        }
        out[i][k] = (float) z;
      }
    }
    return out;
  }

  public int classes() {
    return weights.length;
  }

  public int iterations() {
    return iterations;
  }

  public boolean converged() {
    return converged;
  }
}

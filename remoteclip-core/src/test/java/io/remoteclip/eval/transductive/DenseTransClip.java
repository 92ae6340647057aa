package io.remoteclip.eval.transductive;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * An independent, deliberately plain reading of the zero-shot TransCLIP iteration for small inputs: dense
 * N×N affinity, the direct Σ (x − μ)² / σ² form and textbook loops, all in double. The solver must agree
 * with it.
 */
final class DenseTransClip {
  private DenseTransClip() {}

  static double[][] assignments(float[][] images, float[][] texts, int k) {
    double[][] x = unit(images);
    double[][] t = unit(texts);
    int n = x.length;
    int classes = t.length;
    int dim = x[0].length;
    double[][] affinity = new double[n][n];
    for (int i = 0; i < n; i++) {
      final int row = i;
      int[] nearest = IntStream.range(0, n).filter(j -> j != row).boxed()
          .sorted(Comparator.comparingDouble((Integer j) -> -dot(x[row], x[j])).thenComparingInt(j -> j))
          .limit(k).mapToInt(Integer::intValue).toArray();
      for (int j : nearest) {
        affinity[i][j] += dot(x[i], x[j]);
        affinity[j][i] += dot(x[i], x[j]);
      }
    }
    double[][] prior = new double[n][classes];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < classes; c++) {
        prior[i][c] = 100 * dot(x[i], t[c]);
      }
      softmax(prior[i]);
    }
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = prior[i].clone();
    }
    double[][] mu = new double[classes][dim];
    for (int c = 0; c < classes; c++) {
      final int cls = c;
      int[] top = IntStream.range(0, n).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> -z[i][cls]).thenComparingInt(i -> i))
          .limit(8).mapToInt(Integer::intValue).toArray();
      for (int i : top) {
        for (int p = 0; p < dim; p++) {
          mu[c][p] += z[i][c] * x[i][p];
        }
      }
      normalize(mu[c]);
    }
    double[] var = new double[dim];
    java.util.Arrays.fill(var, 1.0 / dim);
    for (int it = 0; it <= 10; it++) {
      double[][] g = new double[n][classes];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < classes; c++) {
          for (int p = 0; p < dim; p++) {
            g[i][c] -= 0.5 * (x[i][p] - mu[c][p]) * (x[i][p] - mu[c][p]) / var[p];
          }
        }
      }
      for (int step = 0; step < 5; step++) {
        double[][] next = new double[n][classes];
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < classes; c++) {
            double lap = 0;
            for (int j = 0; j < n; j++) {
              lap += affinity[i][j] * z[j][c];
            }
            next[i][c] = Math.log(prior[i][c]) + (g[i][c] + 50.0 / (2 * k) * lap) / 50;
          }
          softmax(next[i]);
        }
        for (int i = 0; i < n; i++) {
          z[i] = next[i];
        }
      }
      if (it == 10) {
        break;
      }
      for (int c = 0; c < classes; c++) {
        java.util.Arrays.fill(mu[c], 0);
        for (int i = 0; i < n; i++) {
          for (int p = 0; p < dim; p++) {
            mu[c][p] += z[i][c] * x[i][p];
          }
        }
        normalize(mu[c]);
      }
      double mass = 0;
      java.util.Arrays.fill(var, 0);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < classes; c++) {
          mass += z[i][c];
          for (int p = 0; p < dim; p++) {
            var[p] += z[i][c] * (x[i][p] - mu[c][p]) * (x[i][p] - mu[c][p]);
          }
        }
      }
      for (int p = 0; p < dim; p++) {
        var[p] /= mass;
      }
    }
    return z;
  }

  private static void softmax(double[] v) {
    double max = java.util.Arrays.stream(v).max().orElseThrow();
    double s = 0;
    for (int c = 0; c < v.length; c++) {
      v[c] = Math.exp(v[c] - max);
      s += v[c];
    }
    for (int c = 0; c < v.length; c++) {
      v[c] /= s;
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int p = 0; p < a.length; p++) {
      s += a[p] * b[p];
    }
    return s;
  }

  private static void normalize(double[] v) {
    double n = Math.sqrt(dot(v, v));
    for (int p = 0; p < v.length; p++) {
      v[p] /= n;
    }
  }

  private static double[][] unit(float[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = new double[m[i].length];
      for (int p = 0; p < m[i].length; p++) {
        out[i][p] = m[i][p];
      }
      normalize(out[i]);
    }
    return out;
  }
}

package io.remoteclip.eval;

/**
 * Limited-memory BFGS minimiser (Nocedal & Wright, Algorithm 7.4/7.5) with a backtracking Armijo line
 * search. Stops like scipy's L-BFGS-B as used by scikit-learn: when the largest gradient component is at
 * most {@code gtol}, when the relative decrease of the objective falls below {@code ftol}, or after
 * {@code maxIterations}.
 */
public final class Lbfgs {
  /** Objective: returns f(x) and writes ∇f(x) into {@code grad}. */
  @FunctionalInterface
  public interface Objective {
    double evaluate(double[] x, double[] grad);
  }

  /** Outcome of a minimisation. */
  public record Result(double[] x, double value, int iterations, boolean converged) {}

  private final int memory;
  private final int maxIterations;
  private final double gtol;
  private final double ftol;

  public Lbfgs(int memory, int maxIterations, double gtol, double ftol) {
    if (memory < 1 || maxIterations < 0) {
      throw new IllegalArgumentException("memory=" + memory + " maxIterations=" + maxIterations);
    }
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.gtol = gtol;
    this.ftol = ftol;
  }

  /** scipy defaults as scikit-learn's lbfgs solver uses them (m = 10, gtol = 1e-4, ftol = 2.2e-9). */
  public static Lbfgs withMaxIterations(int maxIterations) {
    return new Lbfgs(10, maxIterations, 1e-4, 2.220446049250313e-09);
  }

  public Result minimize(Objective f, double[] x0) {
    int n = x0.length;
    double[] x = x0.clone();
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    double[][] s = new double[memory][];
    double[][] y = new double[memory][];
    double[] rho = new double[memory];
    double[] alpha = new double[memory];
    int stored = 0;
    int head = 0;
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    double[] d = new double[n];
    int iter = 0;
    while (iter < maxIterations) {
      if (maxAbs(g) <= gtol) {
        return new Result(x, fx, iter, true);
      }
      // Two-loop recursion: d = -H g.
      for (int i = 0; i < n; i++) {
        d[i] = -g[i];
      }
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(head - 1 - k, memory);
        alpha[j] = rho[j] * dot(s[j], d);
        axpy(-alpha[j], y[j], d);
      }
      double gamma = 1;
      if (stored > 0) {
        int last = Math.floorMod(head - 1, memory);
        gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
      } else {
        gamma = 1 / Math.max(Math.sqrt(dot(g, g)), 1e-12);
      }
      for (int i = 0; i < n; i++) {
        d[i] *= gamma;
      }
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(head - 1 - k, memory);
        double beta = rho[j] * dot(y[j], d);
        axpy(alpha[j] - beta, s[j], d);
      }
      double slope = dot(g, d);
      if (slope >= 0) {
        // Not a descent direction (numerical trouble): restart from steepest descent.
        stored = 0;
        for (int i = 0; i < n; i++) {
          d[i] = -g[i] / Math.max(Math.sqrt(dot(g, g)), 1e-12);
        }
        slope = dot(g, d);
      }
      double step = 1;
      double fNew;
      int tries = 0;
      while (true) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        fNew = f.evaluate(xNew, gNew);
        if (fNew <= fx + 1e-4 * step * slope || ++tries > 40) {
          break;
        }
        step *= 0.5;
      }
      iter++;
      if (tries > 40) {
        return new Result(x, fx, iter, false);
      }
      double[] sk = new double[n];
      double[] yk = new double[n];
      for (int i = 0; i < n; i++) {
        sk[i] = xNew[i] - x[i];
        yk[i] = gNew[i] - g[i];
      }
      double sy = dot(sk, yk);
      if (sy > 1e-10 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
        s[head] = sk;
        y[head] = yk;
        rho[head] = 1 / sy;
        head = (head + 1) % memory;
        stored = Math.min(stored + 1, memory);
      }
      double fOld = fx;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if ((fOld - fx) / Math.max(Math.max(Math.abs(fOld), Math.abs(fx)), 1) <= ftol) {
        return new Result(x, fx, iter, true);
      }
    }
    return new Result(x, fx, iter, maxAbs(g) <= gtol);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}

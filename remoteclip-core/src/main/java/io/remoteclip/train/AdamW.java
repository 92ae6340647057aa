package io.remoteclip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with the exact update order of {@code torch.optim.AdamW} (single-tensor path): decoupled decay
 * p ← p·(1 − lr·wd); m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
 * p ← p − lr/(1 − β1ᵗ) · m / (sqrt(v)/sqrt(1 − β2ᵗ) + eps). Moments live in the parameters' manager.
 */
public final class AdamW {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final Map<String, NDArray> exp = new LinkedHashMap<>();
  private final Map<String, NDArray> expSq = new LinkedHashMap<>();
  private long step;

  public AdamW(double beta1, double beta2, double eps) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  public long stepCount() {
    return step;
  }

  /** One update of every parameter in {@code params} that has a gradient; call outside a gradient collector. */
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, double weightDecay) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    float stepSize = (float) (lr / bc1);
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray g = grads.get(name);
      if (g == null) {
        continue;
      }
      double wd = ParamGroups.decays(name, p.getShape().dimension()) ? weightDecay : 0;
      if (wd != 0) {
        p.muli((float) (1 - lr * wd));
      }
      NDManager owner = p.getManager();
      NDArray m = exp.computeIfAbsent(name, k -> owner.zeros(p.getShape()));
      NDArray v = expSq.computeIfAbsent(name, k -> owner.zeros(p.getShape()));
      try (NDArray gScaled = g.mul((float) (1 - beta1))) {
        m.muli((float) beta1).addi(gScaled);
      }
      try (NDArray g2 = g.mul(g)) {
        v.muli((float) beta2).addi(g2.muli((float) (1 - beta2)));
      }
      try (NDArray denom = v.sqrt(); NDArray update = m.div(denom.divi((float) bc2Sqrt).addi((float) eps))) {
        p.subi(update.muli(stepSize));
      }
    }
  }

  /** First and second moments by parameter name (for checkpointing the optimizer). */
  public Map<String, NDArray> firstMoments() {
    return exp;
  }

  public Map<String, NDArray> secondMoments() {
    return expSq;
  }

  /** Restores state written by {@link #firstMoments()}, {@link #secondMoments()} and {@link #stepCount()}. */
  public void restore(long stepCount, Map<String, NDArray> first, Map<String, NDArray> second) {
    this.step = stepCount;
    exp.clear();
    exp.putAll(first);
    expSq.clear();
    expSq.putAll(second);
  }
}

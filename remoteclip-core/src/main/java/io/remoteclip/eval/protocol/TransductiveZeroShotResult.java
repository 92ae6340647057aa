package io.remoteclip.eval.protocol;

import io.remoteclip.eval.ClassificationMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transductive zero-shot figures: those of {@code transductive} (the solver's assignments), with plain
 * zero-shot on the same inputs as {@code top1_inductive}, {@code top5_inductive} and
 * {@code mean_per_class_recall_inductive}.
 *
 * @param neighbors k of the k-NN graph the solver used
 * @param textScale the factor of the cosines in the solver's text prior (100 for a CLIP, a SigLIP's own
 *     exp(logit_scale))
 */
public record TransductiveZeroShotResult(ZeroShotResult transductive, ClassificationMetrics inductive, int neighbors,
    double textScale)
    implements EvalResult, ClassificationResult {

  @Override
  public Protocol protocol() {
    return Protocol.ZEROSHOT_TRANSDUCTIVE;
  }

  @Override
  public ClassificationMetrics metrics() {
    return transductive.metrics();
  }

  @Override
  public List<String> classNames() {
    return transductive.classNames();
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : transductive.toJson().entrySet()) {
      m.put(e.getKey(), e.getValue());
      if (e.getKey().equals("mean_per_class_recall")) {
        inductive.summary().forEach((k, v) -> {
          if (!k.equals("count")) {
            m.put(k + "_inductive", v);
          }
        });
        m.put("neighbors", neighbors);
        m.put("text_scale", textScale);
      }
    }
    return JsonValues.clean(m);
  }

  @Override
  public String headline() {
    return JsonValues.top1(metrics()) + String.format(java.util.Locale.ROOT, " (inductive %.2f)", inductive.top1());
  }
}

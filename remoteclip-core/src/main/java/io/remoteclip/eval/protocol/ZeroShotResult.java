package io.remoteclip.eval.protocol;

import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.Ensemble;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot figures.
 *
 * @param classNames class identifiers (keys of {@code per_class_recall})
 * @param readableNames the names the prompts used ({@code class_names})
 * @param templates number of prompt templates
 * @param ensemble the rule that combined them; {@code null} with one template
 */
public record ZeroShotResult(ClassificationMetrics metrics, List<String> classNames, List<String> readableNames,
    int templates, Ensemble ensemble) implements EvalResult, ClassificationResult {

  @Override
  public Protocol protocol() {
    return Protocol.ZEROSHOT;
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("classes", classNames.size());
    m.put("templates", templates);
    m.put("ensemble", ensemble == null ? null : ensemble.id());
    JsonValues.putSummary(m, metrics);
    m.put("class_names", readableNames);
    JsonValues.putPerClass(m, metrics, classNames);
    return JsonValues.clean(m);
  }

  @Override
  public String headline() {
    return JsonValues.top1(metrics);
  }
}

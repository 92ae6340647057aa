package io.remoteclip.eval.protocol;

import io.remoteclip.eval.ClassificationMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** k-NN figures on the test rows. */
public record KnnResult(ClassificationMetrics metrics, List<String> classNames, int trainRows, int k,
    double temperature, String source) implements EvalResult, ClassificationResult {

  @Override
  public Protocol protocol() {
    return Protocol.KNN;
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("k", k);
    m.put("temperature", temperature);
    m.put("train", trainRows);
    m.put("classes", classNames.size());
    JsonValues.putSummary(m, metrics);
    JsonValues.putPerClass(m, metrics, classNames);
    return JsonValues.clean(m);
  }

  @Override
  public String headline() {
    return JsonValues.top1(metrics);
  }
}

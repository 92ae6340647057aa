package io.remoteclip.eval.protocol;

import io.remoteclip.eval.RetrievalMetrics;
import java.util.Map;

/** Image→text and text→image R@1/5/10 and mean recall. */
public record RetrievalResult(RetrievalMetrics metrics) implements EvalResult {
  @Override
  public Protocol protocol() {
    return Protocol.RETRIEVAL;
  }

  @Override
  public Map<String, Object> toJson() {
    return JsonValues.clean(metrics.summary());
  }

  @Override
  public String headline() {
    return String.format(java.util.Locale.ROOT, "mean recall %.2f", metrics.meanRecall());
  }
}

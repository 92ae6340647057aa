package io.remoteclip.eval.protocol;

import io.remoteclip.eval.CountingMetrics;
import java.util.Map;

/** Counting top-1, top-3 (percent), mean absolute count error and confusion. */
public record CountingResult(CountingMetrics metrics) implements EvalResult {
  @Override
  public Protocol protocol() {
    return Protocol.COUNTING;
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = metrics.summary();
    m.put("confusion", metrics.confusion());
    return JsonValues.clean(m);
  }

  @Override
  public String headline() {
    return String.format(java.util.Locale.ROOT, "top-1 %.2f, top-3 %.2f", metrics.top1(), metrics.top3());
  }
}

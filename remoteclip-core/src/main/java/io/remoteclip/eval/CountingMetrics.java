package io.remoteclip.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counting scores: top-1 and top-3 accuracy of the true count (percent) and the mean absolute difference
 * between the top-1 count and the true count; {@code confusion[true-1][predicted-1]}.
 */
public record CountingMetrics(int count, double top1, double top3, double meanAbsoluteError, int[][] confusion) {
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("top1", top1);
    m.put("top3", top3);
    m.put("mean_absolute_error", meanAbsoluteError);
    return m;
  }
}

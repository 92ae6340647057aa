package io.remoteclip.eval.benchmark;

import java.util.Map;

/**
 * One cell of a benchmark: the metrics of {@code protocol} for {@code model} on {@code dataset}
 * (percentages 0–100), or the reason it was skipped.
 */
public record BenchmarkResult(String model, String dataset, String protocol, Map<String, Object> metrics,
    String skipped) {

  public double metric(String key) {
    Object v = metrics == null ? null : metrics.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}

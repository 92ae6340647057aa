package io.remoteclip.eval.benchmark;

import io.remoteclip.eval.protocol.EvalResult;
import io.remoteclip.eval.protocol.Protocol;
import java.util.Map;

/**
 * One cell of a benchmark: the result of {@code protocol} for {@code model} on {@code dataset}, or the
 * reason it was skipped ({@code result} null).
 */
public record BenchmarkResult(String model, String dataset, Protocol protocol, EvalResult result, String skipped) {
  public static BenchmarkResult skipped(String model, String dataset, Protocol protocol, String why) {
    return new BenchmarkResult(model, dataset, protocol, null, why);
  }

  /** The result's JSON figures ({@link EvalResult#toJson()}), or null when skipped. */
  public Map<String, Object> metrics() {
    return result == null ? null : result.toJson();
  }

  /** A numeric figure by its JSON key; NaN when absent or undefined. */
  public double metric(String key) {
    Object v = result == null ? null : result.toJson().get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** {@code "model / dataset / protocol: top-1 93.43"} or {@code "…: skipped (why)"}. */
  public String describe() {
    String head = model + " / " + dataset + " / " + protocol.id() + ": ";
    return head + (result == null ? "skipped (" + skipped + ")" : result.headline());
  }
}

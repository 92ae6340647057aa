package io.remoteclip.cli.perf;

import java.util.Arrays;

/** Percentiles of request latencies (nearest rank), in milliseconds. */
public record LatencySummary(int count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
  public static LatencySummary of(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new LatencySummary(sorted.length, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
  }

  /** The smallest latency that at least {@code p} of the requests did not exceed. */
  static double rank(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}

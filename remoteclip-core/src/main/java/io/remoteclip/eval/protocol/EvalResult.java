package io.remoteclip.eval.protocol;

import java.util.Map;

/**
 * The figures of one protocol run. {@link #toJson()} is the one JSON schema of results: what
 * {@code eval … --json} prints after its header and what {@code results.json} holds under
 * {@code "metrics"} (percentages 0–100; undefined values as {@code null}).
 */
public sealed interface EvalResult
    permits ZeroShotResult, TransductiveZeroShotResult, LinearProbeResult, KnnResult, FewShotResult, RetrievalResult,
        CountingResult {
  Protocol protocol();

  /** Metrics and the protocol parameters that produced them, under their JSON keys, in a stable order. */
  Map<String, Object> toJson();

  /** One short line for logs, such as {@code "top-1 93.43"}. */
  String headline();
}

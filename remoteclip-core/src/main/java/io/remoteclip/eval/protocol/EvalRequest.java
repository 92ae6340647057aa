package io.remoteclip.eval.protocol;

/** What one protocol is to evaluate: embeddings in memory, or a data set for {@link Evaluator}'s encoder. */
public sealed interface EvalRequest
    permits ZeroShotRequest, TransductiveZeroShotRequest, LinearProbeRequest, KnnRequest, FewShotRequest,
        RetrievalRequest, CountingRequest {
  Protocol protocol();

  /** True when some input is a data set to encode, so the evaluator needs an encoder. */
  boolean needsEncoder();
}

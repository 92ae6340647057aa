/**
 * Evaluation as a service: one request and one result type per {@link io.remoteclip.eval.protocol.Protocol}
 * (zero-shot, linear probe, k-NN, few-shot, retrieval, counting), run by
 * {@link io.remoteclip.eval.protocol.Evaluator}. Inputs are embeddings in memory (from
 * {@link io.remoteclip.eval.protocol.EmbeddingFiles} for {@code .npy} caches) or data sets that the
 * evaluator encodes with the {@link io.remoteclip.encode.Encoder} it is given. A result's
 * {@code toJson()} is the one JSON schema that {@code eval --json} and the benchmark's
 * {@code results.json} share.
 */
package io.remoteclip.eval.protocol;

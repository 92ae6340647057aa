package io.remoteclip.eval.protocol;

/**
 * Few-shot linear probe: for each K in {@code shots}, K training rows per class drawn with seeds
 * {@code seed}, {@code seed + 1}, … ({@code seeds} runs), a fixed-C probe fitted on them and scored on every
 * test row.
 */
public record FewShotRequest(SupervisedInput data, int[] shots, int seeds, long seed, double c, int maxIterations)
    implements EvalRequest {

  @Override
  public Protocol protocol() {
    return Protocol.FEWSHOT;
  }

  @Override
  public boolean needsEncoder() {
    return data instanceof SupervisedInput.Dataset;
  }
}

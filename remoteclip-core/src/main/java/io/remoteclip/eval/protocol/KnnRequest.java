package io.remoteclip.eval.protocol;

import io.remoteclip.eval.Knn;

/** Weighted k-NN: the {@code k} most similar training rows vote with weight exp(sim / temperature). */
public record KnnRequest(SupervisedInput data, int k, double temperature) implements EvalRequest {
  /** k = 20, T = 0.07. */
  public static KnnRequest of(SupervisedInput data) {
    return new KnnRequest(data, Knn.DEFAULT_K, Knn.DEFAULT_TEMPERATURE);
  }

  @Override
  public Protocol protocol() {
    return Protocol.KNN;
  }

  @Override
  public boolean needsEncoder() {
    return data instanceof SupervisedInput.Dataset;
  }
}

package io.remoteclip.eval.transductive;

/**
 * The solver's settings. {@link #reference()} is RS-TransCLIP's zero-shot configuration
 * ({@code TransCLIP_solver} with no shots).
 *
 * @param neighbors k of the k-nearest-neighbour affinity graph (reference: 3)
 * @param iterations outer iterations: each updates the assignments, then the means and the variance; one
 *     final assignment update follows (reference: 10, so 11 assignment updates and 10 mixture updates)
 * @param assignmentIterations inner fixed-point steps of each assignment update (reference: 5)
 * @param textWeight λ, the exponent of the text prediction in the assignment update (the KL term's weight;
 *     reference zero-shot: 1)
 * @param textScale multiplier of the cosine similarities before the softmax that gives the text predictions
 *     (reference: 100, CLIP's trained logit scale, for every model)
 * @param likelihoodTemperature the Gaussian log-likelihood and the Laplacian term are divided by this inside
 *     the exponential (reference: 50)
 * @param pseudoLabelsPerClass the initial mean of a class averages its this many most confident images,
 *     weighted by confidence (reference: 8)
 * @param threads worker threads; the result is the same for any value
 */
public record TransClipOptions(int neighbors, int iterations, int assignmentIterations, double textWeight,
    double textScale, double likelihoodTemperature, int pseudoLabelsPerClass, int threads) {

  public TransClipOptions {
    positive("neighbors", neighbors);
    positive("iterations", iterations);
    positive("assignmentIterations", assignmentIterations);
    positive("pseudoLabelsPerClass", pseudoLabelsPerClass);
    positive("threads", threads);
    if (!(textWeight >= 0) || !(textScale > 0) || !(likelihoodTemperature > 0)) {
      throw new IllegalArgumentException("textWeight=" + textWeight + ", textScale=" + textScale
          + ", likelihoodTemperature=" + likelihoodTemperature + " (need >= 0, > 0, > 0)");
    }
  }

  /** RS-TransCLIP's zero-shot settings, on all available processors. */
  public static TransClipOptions reference() {
    return new TransClipOptions(3, 10, 5, 1.0, 100.0, 50.0, 8, Runtime.getRuntime().availableProcessors());
  }

  /** The same with another text scale (a SigLIP's own exp(logit_scale) in place of CLIP's 100). */
  public TransClipOptions withTextScale(double scale) {
    return new TransClipOptions(neighbors, iterations, assignmentIterations, textWeight, scale,
        likelihoodTemperature, pseudoLabelsPerClass, threads);
  }

  public TransClipOptions withThreads(int n) {
    return new TransClipOptions(neighbors, iterations, assignmentIterations, textWeight, textScale,
        likelihoodTemperature, pseudoLabelsPerClass, n);
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + "=" + v + " (must be >= 1)");
    }
  }
}

package io.remoteclip.eval.transductive;

/**
 * The solver's output for a batch.
 *
 * @param assignments z, [images][classes]: each row a probability distribution over the classes, jointly
 *     inferred for the whole batch
 * @param textProbabilities ŷ, [images][classes]: softmax of textScale × cosine, the inductive zero-shot
 *     prediction the solver started from
 */
public record TransClipResult(float[][] assignments, float[][] textProbabilities) {
  /** argmax of each assignment row (first maximum on ties). */
  public int[] predictions() {
    return argmax(assignments);
  }

  /** argmax of each text prediction: plain zero-shot. */
  public int[] textPredictions() {
    return argmax(textProbabilities);
  }

  private static int[] argmax(float[][] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int best = 0;
      for (int c = 1; c < rows[i].length; c++) {
        if (rows[i][c] > rows[i][best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }
}

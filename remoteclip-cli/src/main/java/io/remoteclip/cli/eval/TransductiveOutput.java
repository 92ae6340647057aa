package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.transductive.TransClipInputException;
import java.io.PrintWriter;

/** How {@code eval zeroshot --transductive} reports beyond plain zero-shot: the inductive top-1, errors on files. */
final class TransductiveOutput {
  private TransductiveOutput() {}

  static void printInductive(PrintWriter out, ClassificationMetrics inductive) {
    Tables.row(out, "top-1 inductive", inductive.top1());
  }

  /**
   * Embeddings files ({@code .npy} + {@code .txt}) do not record their model, so the solver's text prior is CLIP's
   * (scale 100); a SigLIP's embeddings need their own scale. One line on stderr, after the result.
   */
  static void warnClipScale(PrintWriter err, Object imagesSource) {
    err.println("remoteclip: " + imagesSource + ": embeddings files do not name their model; the text prior used "
        + "CLIP's scale 100 (for a SigLIP's embeddings give --text-scale, its exp(logit_scale))");
    err.flush();
  }

  /** The solver's complaint, on the file it concerns. */
  static DataFormatException onFile(TransClipInputException e, Object imagesSource, Object classesSource) {
    Object file = e.input() == TransClipInputException.Input.IMAGES ? imagesSource : classesSource;
    return new DataFormatException(file + ": " + e.getMessage(), e);
  }
}

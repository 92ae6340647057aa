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

  /** The solver's complaint, on the file it concerns. */
  static DataFormatException onFile(TransClipInputException e, Object imagesSource, Object classesSource) {
    Object file = e.input() == TransClipInputException.Input.IMAGES ? imagesSource : classesSource;
    return new DataFormatException(file + ": " + e.getMessage(), e);
  }
}

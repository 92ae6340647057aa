package io.remoteclip.eval.transductive;

import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.ZeroShot;

/** Transductive zero-shot scored against labels, next to plain (inductive) zero-shot on the same inputs. */
public final class TransductiveZeroShot {
  private TransductiveZeroShot() {}

  /**
   * @param transductive metrics of the solver's assignments
   * @param inductive metrics of cosine zero-shot ({@link ZeroShot#evaluate}), each image alone
   */
  public record Evaluation(ClassificationMetrics transductive, ClassificationMetrics inductive) {}

  public static Evaluation evaluate(float[][] images, int[] labels, float[][] classVectors, TransClipOptions options)
      throws TransClipInputException {
    TransClipResult r = TransClip.solve(images, classVectors, options);
    return evaluate(r, images, labels, classVectors);
  }

  /** Scores an existing result (from {@link TransClip#solve}) of these inputs. */
  public static Evaluation evaluate(TransClipResult result, float[][] images, int[] labels, float[][] classVectors) {
    return new Evaluation(ClassificationMetrics.fromScores(result.assignments(), labels, classVectors.length),
        ZeroShot.evaluate(images, labels, classVectors));
  }
}

package io.remoteclip.eval;

import io.remoteclip.encode.Encoder;
import io.remoteclip.RemoteClipException;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.util.List;

/**
 * Class vectors from prompt templates (open_clip's normalise-average-renormalise) and the softmax over
 * exp(logit_scale) × cosine that open_clip users know as "label probabilities".
 */
public final class ZeroShotClassifier {
  private final float[][] classVectors;
  private final float scale;

  private ZeroShotClassifier(float[][] classVectors, float scale) {
    this.classVectors = classVectors;
    this.scale = scale;
  }

  /** {@code logitScaleExp}: exp of the model's raw logit scale (≈100 for trained models). */
  public static ZeroShotClassifier of(float[][] classVectors, float logitScaleExp) {
    return new ZeroShotClassifier(Vectors.normalizedRows(classVectors), logitScaleExp);
  }

  /** Encodes every (template, class) prompt and builds the classifier; the classes must be distinct. */
  public static ZeroShotClassifier build(Encoder encoder, List<String> classes, List<String> templates,
      float logitScaleExp) throws IOException, RemoteClipException {
    ClassLabels.requireDistinct(classes, "labels");
    List<float[][]> perTemplate = EncoderEvaluations.templateEmbeddings(encoder, classes, templates,
        io.remoteclip.ProgressListener.NONE);
    return of(Ensemble.NORMALIZE_FIRST.classVectors(perTemplate), logitScaleExp);
  }

  /** exp(logit_scale), the factor on the cosines. */
  public float scale() {
    return scale;
  }

  public float[][] classVectors() {
    return classVectors;
  }

  /** Softmax over classes of scale × cosine(image, class). */
  public float[] probabilities(float[] imageEmbedding) {
    float[] img = Vectors.normalized(imageEmbedding);
    float[] logits = new float[classVectors.length];
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < classVectors.length; c++) {
      logits[c] = (float) (scale * Vectors.dot(img, classVectors[c]));
      max = Math.max(max, logits[c]);
    }
    double sum = 0;
    for (int c = 0; c < logits.length; c++) {
      logits[c] = (float) Math.exp(logits[c] - max);
      sum += logits[c];
    }
    for (int c = 0; c < logits.length; c++) {
      logits[c] /= (float) sum;
    }
    return logits;
  }
}

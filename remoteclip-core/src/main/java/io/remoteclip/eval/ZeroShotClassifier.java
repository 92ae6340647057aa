package io.remoteclip.eval;

import io.remoteclip.encode.Encoder;
import io.remoteclip.RemoteClipException;
import io.remoteclip.model.ClipTowers;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.util.List;

/**
 * Class vectors from prompt templates (open_clip's normalise-average-renormalise) and label probabilities from
 * the logits: for a CLIP the softmax over exp(logit_scale) × cosine that open_clip users know, for a SigLIP each
 * label's own sigmoid of exp(logit_scale) × cosine + logit_bias (they need not sum to 1: none or several labels may
 * fit). Rankings are by cosine either way.
 */
public final class ZeroShotClassifier {
  private final float[][] classVectors;
  private final float scale;
  private final float bias;
  private final ModelFamily family;

  private ZeroShotClassifier(float[][] classVectors, float scale, float bias, ModelFamily family) {
    this.classVectors = classVectors;
    this.scale = scale;
    this.bias = bias;
    this.family = family;
  }

  /** A CLIP's softmax; {@code logitScaleExp}: exp of the model's raw logit scale (≈100 for trained models). */
  public static ZeroShotClassifier of(float[][] classVectors, float logitScaleExp) {
    return new ZeroShotClassifier(Vectors.normalizedRows(classVectors), logitScaleExp, 0f, ModelFamily.CLIP);
  }

  /** Scores as {@code towers}' family makes them, with its logit scale and bias. */
  public static ZeroShotClassifier of(float[][] classVectors, ClipTowers towers) {
    return new ZeroShotClassifier(Vectors.normalizedRows(classVectors), (float) Math.exp(towers.logitScale()),
        towers.logitBias(), towers.family());
  }

  /** Rebuilt from its parts ({@link #scale}, {@link #bias}, {@link #family}), e.g. on a Spark executor. */
  public static ZeroShotClassifier of(float[][] classVectors, float logitScaleExp, float logitBias, ModelFamily family) {
    return new ZeroShotClassifier(Vectors.normalizedRows(classVectors), logitScaleExp, logitBias, family);
  }

  /** Encodes every (template, class) prompt and builds a CLIP (softmax) classifier; the classes must be distinct. */
  public static ZeroShotClassifier build(Encoder encoder, List<String> classes, List<String> templates,
      float logitScaleExp) throws IOException, RemoteClipException {
    return of(classVectors(encoder, classes, templates), logitScaleExp);
  }

  /** As above, scoring as {@code towers} (the encoder's model) do: softmax for CLIP, sigmoid for SigLIP. */
  public static ZeroShotClassifier build(Encoder encoder, List<String> classes, List<String> templates,
      ClipTowers towers) throws IOException, RemoteClipException {
    return of(classVectors(encoder, classes, templates), towers);
  }

  private static float[][] classVectors(Encoder encoder, List<String> classes, List<String> templates)
      throws IOException, RemoteClipException {
    ClassLabels.requireDistinct(classes, "labels");
    List<float[][]> perTemplate = EncoderEvaluations.templateEmbeddings(encoder, classes, templates,
        io.remoteclip.ProgressListener.NONE);
    return Ensemble.NORMALIZE_FIRST.classVectors(perTemplate);
  }

  /** exp(logit_scale), the factor on the cosines. */
  public float scale() {
    return scale;
  }

  /** logit_bias added to the scaled cosines (SigLIP; 0 for CLIP). */
  public float bias() {
    return bias;
  }

  /** Whose scores these are: softmax over the labels (CLIP) or a sigmoid per label (SigLIP). */
  public ModelFamily family() {
    return family;
  }

  /** {@code softmax} (over the labels) or {@code sigmoid} (per label). */
  public String scores() {
    return family.scores();
  }

  public float[][] classVectors() {
    return classVectors;
  }

  /** Softmax over classes of scale × cosine(image, class); for SigLIP, sigmoid(scale × cosine + bias) per class. */
  public float[] probabilities(float[] imageEmbedding) {
    float[] img = Vectors.normalized(imageEmbedding);
    float[] logits = new float[classVectors.length];
    if (family == ModelFamily.SIGLIP) {
      for (int c = 0; c < classVectors.length; c++) {
        logits[c] = (float) (1 / (1 + Math.exp(-(scale * Vectors.dot(img, classVectors[c]) + bias))));
      }
      return logits;
    }
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

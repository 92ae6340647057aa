package io.remoteclip.scan;

import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.RemoteClipException;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.util.List;

/** Turns a window's image embedding into one score per query or label. */
public interface WindowScorer {
  /** The queries or labels, in score order. */
  List<String> names();

  /** One score per name. */
  float[] score(float[] imageEmbedding);

  /** Whether scores are zero-shot label probabilities (each window then has one label, its best). */
  boolean isZeroShot();

  /** Cosine similarity of the window to each text query. */
  static WindowScorer queries(ClipEncoder encoder, List<String> queries) {
    float[][] texts = Vectors.normalizedRows(encoder.encodeTexts(queries));
    return new WindowScorer() {
      @Override
      public List<String> names() {
        return List.copyOf(queries);
      }

      @Override
      public float[] score(float[] imageEmbedding) {
        float[] img = Vectors.normalized(imageEmbedding);
        float[] s = new float[texts.length];
        for (int q = 0; q < texts.length; q++) {
          s[q] = (float) Vectors.dot(img, texts[q]);
        }
        return s;
      }

      @Override
      public boolean isZeroShot() {
        return false;
      }
    };
  }

  /** Zero-shot label probabilities (prompt-ensembled class vectors; softmax of scaled cosines, or per-label sigmoid for SigLIP). */
  static WindowScorer labels(ClipEncoder encoder, List<String> labels, List<String> templates)
      throws IOException, RemoteClipException {
    ZeroShotClassifier classifier = ZeroShotClassifier.build(encoder, labels, templates, encoder.towers());
    return new WindowScorer() {
      @Override
      public List<String> names() {
        return List.copyOf(labels);
      }

      @Override
      public float[] score(float[] imageEmbedding) {
        return classifier.probabilities(imageEmbedding);
      }

      @Override
      public boolean isZeroShot() {
        return true;
      }
    };
  }
}

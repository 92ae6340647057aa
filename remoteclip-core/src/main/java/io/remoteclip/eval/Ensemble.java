package io.remoteclip.eval;

import io.remoteclip.vector.Vectors;
import java.util.List;

/**
 * How per-template text embeddings of a class become one class vector (SPEC §7).
 */
public enum Ensemble {
  /** open_clip / CLIP_benchmark: normalise each prompt embedding, average, renormalise. */
  NORMALIZE_FIRST("normalize-first"),
  /** ITRA (RemoteCLIP's training code): average the raw embeddings, then normalise. */
  AVERAGE_FIRST("average-first");

  private final String id;

  Ensemble(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Ensemble parse(String s) {
    for (Ensemble e : values()) {
      if (e.id.equalsIgnoreCase(s) || e.name().equalsIgnoreCase(s)) {
        return e;
      }
    }
    throw new IllegalArgumentException("ensemble=" + s + " (expected normalize-first or average-first)");
  }

  @Override
  public String toString() {
    return id;
  }

  /**
   * Class vectors [classes, D] from per-template embeddings: {@code perTemplate.get(t)[c]} is the
   * embedding of class {@code c} written with template {@code t}. The result rows are L2-normalised.
   */
  public float[][] classVectors(List<float[][]> perTemplate) {
    if (perTemplate.isEmpty()) {
      throw new IllegalArgumentException("no templates");
    }
    int classes = perTemplate.get(0).length;
    int dim = perTemplate.get(0)[0].length;
    double[][] sum = new double[classes][dim];
    for (float[][] t : perTemplate) {
      if (t.length != classes || t[0].length != dim) {
        throw new IllegalArgumentException("template embeddings differ in shape: [" + t.length + ", " + t[0].length
            + "] vs [" + classes + ", " + dim + "]");
      }
      for (int c = 0; c < classes; c++) {
        float[] v = this == NORMALIZE_FIRST ? Vectors.normalized(t[c]) : t[c];
        for (int d = 0; d < dim; d++) {
          sum[c][d] += v[d];
        }
      }
    }
    float[][] out = new float[classes][dim];
    for (int c = 0; c < classes; c++) {
      for (int d = 0; d < dim; d++) {
        out[c][d] = (float) (sum[c][d] / perTemplate.size());
      }
      out[c] = Vectors.normalized(out[c]);
    }
    return out;
  }
}

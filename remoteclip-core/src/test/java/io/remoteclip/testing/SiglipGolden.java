package io.remoteclip.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.model.ClipModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.vector.Vectors;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a loaded SigLIP against the golden {@code siglip-tiny} fixture (open_clip 3.3 + timm 1.0.29, cross-checked
 * with transformers 5.17): every intermediate activation, the features, logits and sigmoid probabilities.
 */
public final class SiglipGolden {
  /** The fixture's intermediate activations, by the names the towers tap them with. */
  public static final List<String> ACTIVATIONS = List.of("vis_embed", "vis_block0", "vis_block1", "vis_norm",
      "vis_attnpool_attn", "txt_embed", "txt_block0", "txt_block1", "txt_ln_final", "txt_pooled");

  private SiglipGolden() {}

  /** Intermediates, features, logits and sigmoid probabilities of {@code model} against the fixture's {@code variant}. */
  public static void assertMatches(ClipModel model, Path dir, String variant) throws Exception {
    NpyArray images = Npy.read(dir.resolve("images.npy"));
    long[][] tokens = tokens(dir.resolve("tokens.npy"));
    Map<String, float[]> seen = new HashMap<>();
    try (NDManager m = model.manager().newSubManager()) {
      model.encodeImage(m.create(images.floats(), new Shape(4, 3, 256, 256)), (n, v) -> seen.put(n, v.toFloatArray()));
      model.encodeText(ClipModel.tokenArray(m, tokens), (n, v) -> seen.put(n, v.toFloatArray()));
    }
    for (String name : ACTIVATIONS) {
      String file = name.endsWith("_embed") ? name + ".npy" : name + "_" + variant + ".npy";
      Tolerances.assertRelative(name, seen.get(name), Npy.read(dir.resolve(file)).floats(), Tolerances.FEATURES_FP32);
    }
    float[][] img = model.encodeImages(images.floats(), 4);
    float[][] txt = model.encodeTexts(tokens);
    Tolerances.assertRelative("image features", flat(img),
        Npy.read(dir.resolve("image_features_" + variant + ".npy")).floats(), Tolerances.FEATURES_FP32);
    Tolerances.assertRelative("text features", flat(txt),
        Npy.read(dir.resolve("text_features_" + variant + ".npy")).floats(), Tolerances.FEATURES_FP32);
    float[][] logits = Vectors.similarities(Vectors.normalizedRows(img),
        Vectors.normalizedRows(txt));
    float scale = (float) Math.exp(model.logitScale());
    float[] probs = new float[logits.length * logits[0].length];
    for (int i = 0; i < logits.length; i++) {
      for (int j = 0; j < logits[i].length; j++) {
        logits[i][j] = logits[i][j] * scale + model.logitBias();
        probs[i * logits[i].length + j] = (float) (1 / (1 + Math.exp(-logits[i][j])));
      }
    }
    Tolerances.assertRelative("logits", flat(logits), Npy.read(dir.resolve("logits_per_image_" + variant + ".npy")).floats(),
        Tolerances.FEATURES_FP32);
    Tolerances.assertRelative("sigmoid probabilities", probs,
        Npy.read(dir.resolve("probs_per_image_" + variant + ".npy")).floats(), Tolerances.FEATURES_FP32);
  }

  public static long[][] tokens(Path npy) throws Exception {
    NpyArray a = Npy.read(npy);
    long[] flat = a.longs();
    int rows = a.shape()[0];
    int cols = a.shape()[1];
    long[][] out = new long[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }

  /** {@code n} rows of a row-major matrix. */
  public static float[][] rows(float[] flat, int n) {
    int d = flat.length / n;
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  /** Cosine similarity in double precision (the references' own, not the project's vector code). */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < a.length; k++) {
      dot += (double) a[k] * b[k];
      na += (double) a[k] * a[k];
      nb += (double) b[k] * b[k];
    }
    return dot / Math.sqrt(na * nb);
  }

  public static float[] flat(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
    }
    return out;
  }
}

package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SigLIP towers on open_clip's state dict (golden siglip-tiny/model.pt, made by open_clip 3.3 with a timm
 * 1.0.29 trunk): every intermediate activation, the features and the sigmoid logits, in both activations.
 */
class SiglipGoldenTest {
  static final List<String> ACTIVATIONS = List.of("vis_embed", "vis_block0", "vis_block1", "vis_norm", "vis_attnpool_attn",
      "txt_embed", "txt_block0", "txt_block1", "txt_ln_final", "txt_pooled");

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gelu", "gelutanh"})
  void openClipStateDictMatchesEveryActivation(String variant) throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("open_clip_config.json")),
        variant.equals("gelu") ? null : Activation.GELU_TANH);
    assertEquals(ModelFamily.SIGLIP, cfg.family());
    assertEquals(new SiglipVisionConfig(64, 2, 4, 32, 256, 256), cfg.vision());
    assertEquals(new TextConfig(64, 2, 4, 64, 32000, 256), cfg.text());
    try (ClipModel model = ClipModel.load(sd, cfg, "siglip-tiny")) {
      assertGolden(model, dir, variant);
    }
  }

  /** Intermediates, features, logits and sigmoid probabilities of {@code model} against the fixture's {@code variant}. */
  static void assertGolden(ClipModel model, Path dir, String variant) throws Exception {
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
    float[][] logits = io.remoteclip.vector.Vectors.similarities(io.remoteclip.vector.Vectors.normalizedRows(img),
        io.remoteclip.vector.Vectors.normalizedRows(txt));
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

  static long[][] tokens(Path npy) throws Exception {
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

  static float[] flat(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
    }
    return out;
  }
}

package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.Tolerances;
import io.remoteclip.vector.Vectors;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Features, logits and activations against open_clip 2.20 (golden vit-tiny and rn-tiny). */
class ClipModelGoldenTest {

  @ParameterizedTest(name = "{0}/{1} {2}")
  @CsvSource({
    "vit-tiny, model.pt, quickgelu",
    "vit-tiny, model.pt, gelu",
    "vit-tiny, model.safetensors, quickgelu",
    "vit-tiny, model.safetensors, gelu",
    "vit-tiny, model_fp16.pt, quickgelu",
    "vit-tiny, model_fp16.pt, gelu",
    "rn-tiny, model.pt, quickgelu",
    "rn-tiny, model.pt, gelu",
  })
  void featuresAndLogitsMatchOpenClip(String fixture, String weights, String act) throws Exception {
    Path dir = Fixtures.require("golden/" + fixture);
    Path images = Fixtures.require("golden/vit-tiny/images.npy");
    StateDict sd = Checkpoints.read(dir.resolve(weights));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(ClipConfigs.findConfigNextTo(dir.resolve(weights))),
        Activation.parse(act));
    boolean fp16 = weights.contains("fp16");
    String suffix = act + (fp16 ? "_fp16weights" : "") + ".npy";
    try (ClipModel model = ClipModel.load(sd, cfg, fixture)) {
      float[][] img = model.encodeImages(Npy.read(images).floats(), 4);
      float[][] txt = model.encodeTexts(tokens(dir));
      float[][] logits = Vectors.similarities(Vectors.normalizedRows(img), Vectors.normalizedRows(txt));
      float scale = (float) Math.exp(model.logitScale());
      for (float[] row : logits) {
        for (int j = 0; j < row.length; j++) {
          row[j] *= scale;
        }
      }
      Tolerances.assertRelative("image features", flat(img), Npy.read(dir.resolve("image_features_" + suffix)).floats(),
          Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("text features", flat(txt), Npy.read(dir.resolve("text_features_" + suffix)).floats(),
          Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("logits", flat(logits), Npy.read(dir.resolve("logits_per_image_" + suffix)).floats(),
          Tolerances.FEATURES_FP32);
      if (fp16) {
        Tolerances.assertRelative("fp16 vs fp32 image features", flat(img),
            Npy.read(dir.resolve("image_features_" + act + ".npy")).floats(), Tolerances.FEATURES_FP16_VS_FP32);
      }
    }
  }

  @Test
  void intermediateActivationsMatch() throws Exception {
    Path dir = Fixtures.require("golden/vit-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("config.json")), Activation.QUICK_GELU);
    Map<String, float[]> seen = new HashMap<>();
    try (ClipModel model = ClipModel.load(sd, cfg, "vit-tiny"); NDManager m = model.manager().newSubManager()) {
      long[][] tok = tokens(dir);
      long[] flatTokens = new long[tok.length * 77];
      for (int i = 0; i < tok.length; i++) {
        System.arraycopy(tok[i], 0, flatTokens, i * 77, 77);
      }
      NDArray pixels = m.create(Npy.read(dir.resolve("images.npy")).floats(), new Shape(4, 3, 224, 224));
      model.encodeImage(pixels, (name, value) -> seen.put(name, value.toFloatArray()));
      model.encodeText(m.create(flatTokens, new Shape(tok.length, 77)), (name, value) -> seen.put(name, value.toFloatArray()));
    }
    for (String name : new String[] {"vis_pre", "vis_block0", "vis_block1", "vis_ln_post", "txt_embed", "txt_block0",
        "txt_block1", "txt_ln_final"}) {
      Tolerances.assertRelative(name, seen.get(name), Npy.read(dir.resolve(name + ".npy")).floats(), Tolerances.FEATURES_FP32);
    }
  }

  @Test
  void configIsInferredFromShapesAndConfigFile() throws Exception {
    Path dir = Fixtures.require("golden/rn-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig withFile = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("config.json")), null);
    ResNetConfig r = (ResNetConfig) withFile.vision();
    assertEquals(16, r.width());
    assertEquals(8, r.heads());
    assertEquals(224, r.imageSize());
    assertEquals(2, withFile.text().heads());
    assertEquals(32, withFile.embedDim());
    assertEquals(Activation.QUICK_GELU, withFile.activation());
    // without a config file the text heads default to width / 64, which cannot split a width of 32
    ModelConfigException e = assertThrows(ModelConfigException.class, () -> ClipConfigs.infer(sd, null, null));
    assertTrue(e.getMessage().contains("text_cfg.heads"), e.getMessage());
  }

  @Test
  void wrongTensorShapeIsReportedWithKeyAndShapes() throws Exception {
    Path dir = Fixtures.require("golden/vit-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("config.json")), null);
    Map<String, TensorData> broken = new LinkedHashMap<>(sd.asMap());
    broken.put("visual.transformer.resblocks.1.mlp.c_fc.weight", TensorData.ofFloats(new float[10], 2, 5));
    ModelConfigException e = assertThrows(ModelConfigException.class,
        () -> ClipModel.load(new StateDict(broken, sd.source()), cfg, "x"));
    assertTrue(e.getMessage().contains("visual.transformer.resblocks.1.mlp.c_fc.weight") && e.getMessage().contains("[2, 5]")
        && e.getMessage().contains("[256, 64]"), e.getMessage());
    Map<String, TensorData> missing = new LinkedHashMap<>(sd.asMap());
    missing.remove("ln_final.bias");
    e = assertThrows(ModelConfigException.class, () -> ClipModel.load(new StateDict(missing, sd.source()), cfg, "x"));
    assertTrue(e.getMessage().contains("missing key 'ln_final.bias'"), e.getMessage());
  }

  static long[][] tokens(Path dir) throws Exception {
    var a = Npy.read(dir.resolve("tokens.npy"));
    long[] flat = a.longs();
    int n = a.shape()[0];
    int t = a.shape()[1];
    long[][] out = new long[n][t];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * t, out[i], 0, t);
    }
    return out;
  }

  static float[] flat(float[][] x) {
    int d = x[0].length;
    float[] out = new float[x.length * d];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, out, i * d, d);
    }
    return out;
  }
}

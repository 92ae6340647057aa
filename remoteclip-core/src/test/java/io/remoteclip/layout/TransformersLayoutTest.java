package io.remoteclip.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.Json;
import io.remoteclip.ProgressListener;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.image.ResizeMode;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * transformers model folders: the golden SiglipModel folder (written as transformers 5.17 saves it and checked
 * with its SiglipModel) against the open_clip outputs, in the activation its config names; the same weights
 * sharded and as {@code pytorch_model.bin}; and a CLIPModel folder written here from the bundled model.
 */
class TransformersLayoutTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"config.json, gelutanh", "config_gelu.json, gelu"})
  void siglipFolderMatchesTheGoldenOutputs(String config, String variant) throws Exception {
    Path hf = Fixtures.require("golden/siglip-tiny/hf");
    ModelCheckpoint ckpt = ModelCheckpoint.read(hf.resolve("model.safetensors"), hf.resolve(config), ProgressListener.NONE);
    assertEquals(CheckpointLayout.TRANSFORMERS, ckpt.layout());
    ClipConfig c = ckpt.config(null, null);
    assertEquals(variant.equals("gelu") ? Activation.GELU : Activation.GELU_TANH, c.activation());
    var pre = ckpt.preprocess(c, new float[] {0.1f, 0.1f, 0.1f}, new float[] {0.2f, 0.2f, 0.2f}, false);
    assertEquals(ResizeMode.SQUASH, pre.resizeMode());
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, pre.mean());
    assertEquals(TokenizerSpec.Kind.SENTENCEPIECE_TRANSFORMERS, ckpt.tokenizer(c, null).kind());
    try (ClipModel model = ClipModel.load(ckpt.stateDict(), c, "hf")) {
      SiglipGolden.assertMatches(model, hf.getParent(), variant);
    }
  }

  @Test
  void shardedAndBinFoldersGiveTheSameFeatures() throws Exception {
    Path hf = Fixtures.require("golden/siglip-tiny/hf");
    StateDict plain = Checkpoints.read(hf.resolve("model.safetensors"));
    Path sharded = Files.createDirectories(tmp.resolve("sharded"));
    writeSharded(plain, sharded, 3);
    Files.copy(hf.resolve("config.json"), sharded.resolve("config.json"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Checkpoints.write(bin.resolve("pytorch_model.bin"), plain);
    Files.copy(hf.resolve("config.json"), bin.resolve("config.json"));

    float[][] reference = features(hf.resolve("model.safetensors"), hf.resolve("config.json"));
    ModelCheckpoint shardedCkpt = ModelCheckpoint.read(sharded.resolve("model.safetensors.index.json"),
        sharded.resolve("config.json"), ProgressListener.NONE);
    assertTrue(shardedCkpt.notes().get(0).startsWith("sharded: 3 shards"), shardedCkpt.notes().toString());
    assertArrayEquals(reference, features(sharded.resolve("model.safetensors.index.json"), sharded.resolve("config.json")));
    assertArrayEquals(reference, features(bin.resolve("pytorch_model.bin"), bin.resolve("config.json")));
    float[] golden = Npy.read(hf.getParent().resolve("image_features_gelutanh.npy")).floats();
    io.remoteclip.testing.Tolerances.assertRelative("sharded image features", SiglipGolden.flat(reference), golden,
        io.remoteclip.testing.Tolerances.FEATURES_FP32);
  }

  /** A CLIPModel folder (transformers' names, q/k/v apart, Linear projections) gives the open_clip model's features. */
  @Test
  void clipFolderWrittenFromTheBundledModelGivesItsFeatures() throws Exception {
    Path mini = BundledModel.dir();
    StateDict openClip = Checkpoints.read(BundledModel.weights());
    Path dir = Files.createDirectories(tmp.resolve("clip"));
    writeSharded(toTransformersClip(openClip), dir, 2);
    ObjectNode cfg = Json.mapper().createObjectNode();
    cfg.put("model_type", "clip").put("projection_dim", 192).putArray("architectures").add("CLIPModel");
    cfg.putObject("text_config").put("hidden_size", 192).put("num_attention_heads", 3).put("num_hidden_layers", 3)
        .put("max_position_embeddings", 32).put("vocab_size", 1291).put("hidden_act", "quick_gelu");
    cfg.putObject("vision_config").put("hidden_size", 192).put("num_attention_heads", 3).put("num_hidden_layers", 4)
        .put("image_size", 160).put("patch_size", 32).put("hidden_act", "quick_gelu");
    Json.mapper().writeValue(dir.resolve("config.json").toFile(), cfg);

    ModelCheckpoint ckpt = ModelCheckpoint.read(dir.resolve("model.safetensors.index.json"), dir.resolve("config.json"),
        ProgressListener.NONE);
    ClipConfig c = ckpt.config(null, null);
    ModelCheckpoint reference = ModelCheckpoint.read(BundledModel.weights(), mini.resolve("config.json"), ProgressListener.NONE);
    ClipConfig rc = reference.config(null, null);
    assertEquals(rc, c);
    float[] pixels = new float[2 * 3 * 160 * 160];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) Math.sin(i * 0.37);
    }
    long[][] tokens = {{1289, 20, 30, 1290}, {1289, 7, 1290, 0}};
    try (ClipModel a = ClipModel.load(ckpt.stateDict(), c, "hf-clip");
        ClipModel b = ClipModel.load(reference.stateDict(), rc, "mini")) {
      assertArrayEquals(b.encodeImages(pixels, 2), a.encodeImages(pixels, 2));
      assertArrayEquals(b.encodeTexts(tokens), a.encodeTexts(tokens));
      assertEquals(b.logitScale(), a.logitScale());
    }
  }

  private static float[][] features(Path weights, Path config) throws Exception {
    ModelCheckpoint ckpt = ModelCheckpoint.read(weights, config, ProgressListener.NONE);
    ClipConfig c = ckpt.config(null, null);
    try (ClipModel model = ClipModel.load(ckpt.stateDict(), c, "x")) {
      return model.encodeImages(Npy.read(Fixtures.require("golden/siglip-tiny/images.npy")).floats(), 4);
    }
  }

  /** {@code sd} split into {@code n} safetensors shards in key order, with transformers' index. */
  static void writeSharded(StateDict sd, Path dir, int n) throws Exception {
    List<String> keys = new ArrayList<>(sd.keys());
    ObjectNode index = Json.mapper().createObjectNode();
    index.putObject("metadata").put("total_size", sd.asMap().values().stream().mapToLong(TensorData::byteSize).sum());
    ObjectNode map = index.putObject("weight_map");
    int per = (keys.size() + n - 1) / n;
    for (int s = 0; s < n; s++) {
      String name = String.format("model-%05d-of-%05d.safetensors", s + 1, n);
      Map<String, TensorData> part = new LinkedHashMap<>();
      for (String k : keys.subList(s * per, Math.min(keys.size(), (s + 1) * per))) {
        part.put(k, sd.asMap().get(k));
        map.put(k, name);
      }
      Checkpoints.write(dir.resolve(name), new StateDict(part, dir.resolve(name)));
    }
    Json.mapper().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
  }

  /** open_clip CLIP names → transformers CLIPModel's, written out here as transformers' modeling_clip.py names them. */
  static StateDict toTransformersClip(StateDict sd) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<String, TensorData> e : sd.asMap().entrySet()) {
      String k = e.getKey();
      TensorData t = e.getValue();
      String tower = k.startsWith("visual.transformer.resblocks.") ? "vision_model.encoder.layers."
          : k.startsWith("transformer.resblocks.") ? "text_model.encoder.layers." : null;
      if (tower != null) {
        String rest = k.substring(k.indexOf("resblocks.") + "resblocks.".length());
        String layer = rest.substring(0, rest.indexOf('.'));
        String part = rest.substring(rest.indexOf('.') + 1);
        String p = tower + layer + ".";
        if (part.startsWith("attn.in_proj_")) {
          String kind = part.endsWith("weight") ? "weight" : "bias";
          long w = t.dim(0) / 3;
          out.put(p + "self_attn.q_proj." + kind, t.rows(0, w));
          out.put(p + "self_attn.k_proj." + kind, t.rows(w, 2 * w));
          out.put(p + "self_attn.v_proj." + kind, t.rows(2 * w, 3 * w));
        } else {
          out.put(p + part.replace("attn.out_proj.", "self_attn.out_proj.").replace("ln_1.", "layer_norm1.")
              .replace("ln_2.", "layer_norm2.").replace("mlp.c_fc.", "mlp.fc1.").replace("mlp.c_proj.", "mlp.fc2."), t);
        }
        continue;
      }
      switch (k) {
        case "positional_embedding" -> out.put("text_model.embeddings.position_embedding.weight", t);
        case "token_embedding.weight" -> out.put("text_model.embeddings.token_embedding.weight", t);
        case "ln_final.weight", "ln_final.bias" -> out.put("text_model.final_layer_norm." + k.substring(9), t);
        case "text_projection" -> out.put("text_projection.weight", t.transpose2d());
        case "logit_scale" -> out.put("logit_scale", t);
        case "visual.class_embedding" -> out.put("vision_model.embeddings.class_embedding", t);
        case "visual.conv1.weight" -> out.put("vision_model.embeddings.patch_embedding.weight", t);
        case "visual.positional_embedding" -> out.put("vision_model.embeddings.position_embedding.weight", t);
        case "visual.ln_pre.weight", "visual.ln_pre.bias" -> out.put("vision_model.pre_layrnorm." + k.substring(14), t);
        case "visual.ln_post.weight", "visual.ln_post.bias" -> out.put("vision_model.post_layernorm." + k.substring(15), t);
        case "visual.proj" -> out.put("visual_projection.weight", t.transpose2d());
        default -> throw new IllegalArgumentException("unexpected key " + k);
      }
    }
    out.put("text_model.embeddings.position_ids", TensorData.ofFloats(new float[32], 1, 32)); // older versions saved it
    return new StateDict(out, sd.source());
  }
}

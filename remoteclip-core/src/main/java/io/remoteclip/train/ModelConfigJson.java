package io.remoteclip.train;

import io.remoteclip.Json;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ResNetConfig;
import io.remoteclip.model.VitConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a model config in open_clip's format ({@code embed_dim}, {@code quick_gelu}, {@code vision_cfg},
 * {@code text_cfg}) so that open_clip ({@code create_model(..., pretrained=...)} with this config) and this
 * project (config found next to the weights) rebuild the exact architecture, head counts included.
 */
public final class ModelConfigJson {
  public static final String FILE_NAME = "open_clip_config.json";

  private ModelConfigJson() {}

  public static Map<String, Object> of(ClipConfig c) {
    Map<String, Object> vision = new LinkedHashMap<>();
    vision.put("image_size", c.vision().imageSize());
    if (c.vision() instanceof VitConfig v) {
      vision.put("layers", v.layers());
      vision.put("width", v.width());
      vision.put("patch_size", v.patchSize());
      vision.put("head_width", v.width() / v.heads());
    } else if (c.vision() instanceof ResNetConfig r) {
      vision.put("layers", r.layers());
      vision.put("width", r.width());
      vision.put("head_width", r.poolWidth() / r.heads());
    }
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("context_length", c.text().contextLength());
    text.put("vocab_size", c.text().vocabSize());
    text.put("width", c.text().width());
    text.put("heads", c.text().heads());
    text.put("layers", c.text().layers());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("embed_dim", c.embedDim());
    model.put("quick_gelu", c.activation() == Activation.QUICK_GELU);
    model.put("vision_cfg", vision);
    model.put("text_cfg", text);
    return model;
  }

  /** {@code {"model_cfg": ..., "preprocess_cfg": ...}} as open_clip's Hugging Face repositories ship it. */
  public static void write(Path file, ClipConfig c, float[] mean, float[] std) throws IOException {
    write(file, (Object) of(c), mean, std);
  }

  /** The same with a model config as read (a SigLIP's, whose timm trunk and tokenizer fields {@link #of} cannot spell). */
  public static void write(Path file, com.fasterxml.jackson.databind.JsonNode modelCfg, float[] mean, float[] std)
      throws IOException {
    write(file, (Object) modelCfg, mean, std);
  }

  private static void write(Path file, Object modelCfg, float[] mean, float[] std) throws IOException {
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("mean", mean);
    pre.put("std", std);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("model_cfg", modelCfg);
    root.put("preprocess_cfg", pre);
    AtomicFiles.writeString(file, Json.prettyString(root) + "\n");
  }
}

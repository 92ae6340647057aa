package io.remoteclip.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.Json;
import io.remoteclip.ModelConfigException;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ModelFamily;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A Hugging Face {@code transformers} {@code config.json} ({@code SiglipConfig}, {@code CLIPConfig}) read as the
 * open_clip model config the rest of the loader understands: head counts, image size, context and activation.
 * Fields a config may omit take transformers' defaults (configuration_siglip.py, configuration_clip.py), so that
 * google/siglip-base-patch16-256-multilingual's config, which names little more than its vocabulary and image
 * size, reads as the model it is.
 */
final class HfConfigs {
  private HfConfigs() {}

  /** True for a transformers config (it names a {@code model_type} or {@code architectures}). */
  static boolean isTransformersConfig(JsonNode root) {
    return root != null && !root.has("model_cfg") && (root.has("model_type") || root.has("architectures"));
  }

  /** CLIP or SigLIP from {@code model_type} (or the architecture's name); anything else is refused. */
  static ModelFamily family(JsonNode root, Path file) throws ModelConfigException {
    String type = root.path("model_type").asText("");
    if (type.isEmpty() && root.path("architectures").isArray() && !root.path("architectures").isEmpty()) {
      String arch = root.path("architectures").get(0).asText("");
      type = arch.equals("SiglipModel") ? "siglip" : arch.equals("CLIPModel") ? "clip" : arch;
    }
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "siglip" -> ModelFamily.SIGLIP;
      case "clip" -> ModelFamily.CLIP;
      default -> throw new ModelConfigException(file + ": model_type '" + type + "' is not a model remoteclip reads "
          + "(transformers CLIPModel: clip, SiglipModel: siglip)");
    };
  }

  /** The open_clip {@code model_cfg} equivalent of {@code root}. */
  static ObjectNode toOpenClip(JsonNode root, ModelFamily family, Path file) throws ModelConfigException {
    boolean siglip = family == ModelFamily.SIGLIP;
    JsonNode v = root.path("vision_config");
    JsonNode t = root.path("text_config");
    ObjectNode cfg = Json.mapper().createObjectNode();
    ObjectNode vision = cfg.putObject("vision_cfg");
    vision.put("image_size", v.path("image_size").asInt(224));
    vision.put("patch_size", v.path("patch_size").asInt(siglip ? 16 : 32));
    vision.put("heads", v.path("num_attention_heads").asInt(12));
    ObjectNode text = cfg.putObject("text_cfg");
    text.put("heads", t.path("num_attention_heads").asInt(siglip ? 12 : 8));
    text.put("context_length", t.path("max_position_embeddings").asInt(siglip ? 64 : 77));
    if (siglip) {
      if (!v.path("vision_use_head").asBoolean(true)) {
        throw new ModelConfigException(file + ": vision_use_head is false: a SigLIP image tower without its MAP head "
            + "has no image embedding");
      }
      cfg.put("embed_dim", t.path("projection_size").asInt(t.path("hidden_size").asInt(768)));
    } else {
      cfg.put("embed_dim", root.path("projection_dim").asInt(512));
    }
    String defaultAct = siglip ? "gelu_pytorch_tanh" : "quick_gelu";
    Activation act = activation(v.path("hidden_act").asText(defaultAct), file, "vision_config");
    Activation textAct = activation(t.path("hidden_act").asText(defaultAct), file, "text_config");
    if (act != textAct) {
      throw new ModelConfigException(file + ": vision_config.hidden_act " + act.registryName() + " and text_config.hidden_act "
          + textAct.registryName() + " differ; one activation per model is supported");
    }
    // spelled as open_clip configs spell it, so that ClipConfigs.configActivation reads both layouts alike
    cfg.put("quick_gelu", act == Activation.QUICK_GELU);
    if (act == Activation.GELU_TANH) {
      text.putObject("act_kwargs").put("approximate", "tanh");
    }
    return cfg;
  }

  private static Activation activation(String name, Path file, String where) throws ModelConfigException {
    try {
      return Activation.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ModelConfigException(file + ": " + where + ".hidden_act '" + name + "' is not supported (quick_gelu, "
          + "gelu, gelu_pytorch_tanh)");
    }
  }
}

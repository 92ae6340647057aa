package io.remoteclip.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.ShapeOnlyTensors;
import io.remoteclip.model.Activation;
import io.remoteclip.model.Architectures;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ClipLayout;
import io.remoteclip.model.ModelFamily;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * transformers configs as the Hub publishes them, most fields left to transformers' defaults, read back into the
 * architectures they describe (on shape-only tensors: nothing of SO400M's 3.5 GB is allocated). Git-RSCLIP's
 * base and large are SiglipModel configs of these two 256-pixel sizes.
 */
class HfConfigsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    // google/siglip-so400m-patch14-384
    "ViT-SO400M-14-SigLIP-384|{\"architectures\": [\"SiglipModel\"], \"initializer_factor\": 1.0, \"model_type\": \"siglip\", "
        + "\"text_config\": {\"hidden_size\": 1152, \"intermediate_size\": 4304, \"model_type\": \"siglip_text_model\", "
        + "\"num_attention_heads\": 16, \"num_hidden_layers\": 27}, \"torch_dtype\": \"float32\", \"vision_config\": "
        + "{\"hidden_size\": 1152, \"image_size\": 384, \"intermediate_size\": 4304, \"model_type\": \"siglip_vision_model\", "
        + "\"num_attention_heads\": 16, \"num_hidden_layers\": 27, \"patch_size\": 14}}",
    // google/siglip-large-patch16-256 (Git-RSCLIP large's size)
    "ViT-L-16-SigLIP-256|{\"architectures\": [\"SiglipModel\"], \"model_type\": \"siglip\", \"text_config\": {\"hidden_size\": "
        + "1024, \"intermediate_size\": 4096, \"model_type\": \"siglip_text_model\", \"num_attention_heads\": 16, "
        + "\"num_hidden_layers\": 24}, \"vision_config\": {\"hidden_size\": 1024, \"image_size\": 256, \"intermediate_size\": "
        + "4096, \"model_type\": \"siglip_vision_model\", \"num_attention_heads\": 16, \"num_hidden_layers\": 24}}",
    // google/siglip-base-patch16-256 (Git-RSCLIP base's size): everything else is a default
    "ViT-B-16-SigLIP-256|{\"architectures\": [\"SiglipModel\"], \"model_type\": \"siglip\", \"text_config\": "
        + "{\"model_type\": \"siglip_text_model\"}, \"vision_config\": {\"image_size\": 256, \"model_type\": \"siglip_vision_model\"}}",
    // google/siglip-base-patch16-256-multilingual
    "ViT-B-16-SigLIP-i18n-256|{\"architectures\": [\"SiglipModel\"], \"model_type\": \"siglip\", \"text_config\": "
        + "{\"model_type\": \"siglip_text_model\", \"vocab_size\": 250000}, \"vision_config\": {\"image_size\": 256, "
        + "\"model_type\": \"siglip_vision_model\"}}",
    "ViT-B-16-SigLIP|{\"model_type\": \"siglip\"}",
  })
  void publishedSiglipConfigsDescribeTheirArchitecture(String arch, String json) throws Exception {
    ClipConfig expected = Architectures.parse(arch, 0).withActivation(Activation.GELU_TANH);
    JsonNode root = Json.mapper().readTree(json);
    assertTrue(HfConfigs.isTransformersConfig(root));
    JsonNode cfg = HfConfigs.toOpenClip(root, HfConfigs.family(root, Path.of("config.json")), Path.of("config.json"));
    ClipConfig c = ClipConfigs.infer(ShapeOnlyTensors.of(ClipLayout.expectedShapes(expected), arch), cfg, null);
    assertEquals(expected, c);
  }

  @Test
  void openAiClipConfigReadsAsQuickGeluViTB32() throws Exception {
    JsonNode root = Json.mapper().readTree("{\"architectures\": [\"CLIPModel\"], \"model_type\": \"clip\", \"projection_dim\": 512, "
        + "\"text_config\": {\"model_type\": \"clip_text_model\"}, \"vision_config\": {\"model_type\": \"clip_vision_model\"}}");
    ClipConfig expected = Architectures.parse("ViT-B-32", 0);
    JsonNode cfg = HfConfigs.toOpenClip(root, ModelFamily.CLIP, Path.of("config.json"));
    assertEquals(expected, ClipConfigs.infer(ShapeOnlyTensors.of(ClipLayout.expectedShapes(expected), "b32"), cfg, null));
  }

  @Test
  void otherModelTypesAndMixedActivationsAreRefusedNamingTheFile() throws Exception {
    Path file = Path.of("/models/bert/config.json");
    ModelConfigException e = assertThrows(ModelConfigException.class,
        () -> HfConfigs.family(Json.mapper().readTree("{\"model_type\": \"bert\"}"), file));
    assertTrue(e.getMessage().startsWith(file + ": model_type 'bert' is not a model remoteclip reads"), e.getMessage());
    JsonNode mixed = Json.mapper().readTree("{\"model_type\": \"siglip\", \"text_config\": {\"hidden_act\": \"gelu\"}}");
    e = assertThrows(ModelConfigException.class, () -> HfConfigs.toOpenClip(mixed, ModelFamily.SIGLIP, file));
    assertTrue(e.getMessage().startsWith(file + ": vision_config.hidden_act gelu_tanh and text_config.hidden_act gelu"),
        e.getMessage());
  }
}

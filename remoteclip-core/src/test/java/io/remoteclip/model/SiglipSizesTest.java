package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.checkpoint.ShapeOnlyTensors;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The full-size SigLIP architectures against open_clip's published model profile (docs/model_profile.csv of
 * mlfoundations/open_clip: parameters per tower in millions, GFLOPs per image and per 64-token text), and their
 * open_clip configs read back from the tensor shapes alone (no weights are allocated).
 */
class SiglipSizesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ViT-B-16-SigLIP, 92.88, 110.27, 35.42, 11.02",
    "ViT-B-16-SigLIP-256, 92.93, 110.27, 46.82, 11.02",
    "ViT-B-16-SigLIP-384, 93.18, 110.27, 112.13, 11.02",
    "ViT-B-16-SigLIP-512, 93.52, 110.27, 216.24, 11.02",
    "ViT-B-16-SigLIP-i18n-256, 92.93, 277.7, 46.82, 11.02",
    "ViT-L-16-SigLIP-256, 315.96, 336.19, 162.56, 39.06",
    "ViT-L-16-SigLIP-384, 316.28, 336.19, 383.85, 39.06",
    "ViT-SO400M-14-SigLIP, 427.68, 449.68, 220.35, 13.19",
    "ViT-SO400M-14-SigLIP-384, 428.23, 449.73, 670.35, 53.13",
  })
  void namedArchitecturesHaveOpenClipsSizes(String arch, double imageM, double textM, double imageGflops, double textGflops)
      throws Exception {
    ClipConfig c = Architectures.parse(arch, 0);
    assertEquals(ModelFamily.SIGLIP, c.family());
    assertEquals(arch, c.architectureName());
    Map<String, long[]> shapes = ClipLayout.expectedShapes(c);
    assertEquals(imageM, millions(shapes, "visual."), 0.006, "image tower parameters");
    assertEquals(textM, millions(shapes, "text."), 0.006, "text tower parameters");
    assertEquals(c.vision().parameterCount(c.embedDim()) / 1e6, millions(shapes, "visual."), 1e-9);
    assertEquals(imageGflops, TowerFlops.image(c) / 1e9, imageGflops * 0.003);
    assertEquals(textGflops, TowerFlops.text(c, c.text().contextLength()) / 1e9, textGflops * 0.003);
  }

  /** open_clip's configs name the timm trunk; its size gives the vision heads (16 of width 72 in SO400M, not 1152/64). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "ViT-B-16-SigLIP-256|{\"embed_dim\": 768, \"init_logit_bias\": -10, \"custom_text\": true, \"vision_cfg\": {\"image_size\": 256, "
        + "\"timm_model_name\": \"vit_base_patch16_siglip_256\", \"timm_model_pretrained\": false, \"timm_pool\": \"map\", "
        + "\"timm_proj\": \"none\"}, \"text_cfg\": {\"context_length\": 64, \"vocab_size\": 32000, \"hf_tokenizer_name\": "
        + "\"timm/ViT-B-16-SigLIP\", \"tokenizer_kwargs\": {\"clean\": \"canonicalize\"}, \"width\": 768, \"heads\": 12, "
        + "\"layers\": 12, \"no_causal_mask\": true, \"proj_bias\": true, \"pool_type\": \"last\", \"norm_kwargs\": {\"eps\": 1e-6}}}",
    "ViT-L-16-SigLIP-384|{\"embed_dim\": 1024, \"vision_cfg\": {\"image_size\": 384, \"timm_model_name\": "
        + "\"vit_large_patch16_siglip_384\", \"timm_pool\": \"map\", \"timm_proj\": \"none\"}, \"text_cfg\": {\"context_length\": 64, "
        + "\"vocab_size\": 32000, \"width\": 1024, \"heads\": 16, \"layers\": 24, \"no_causal_mask\": true, \"proj_bias\": true, "
        + "\"pool_type\": \"last\"}}",
    "ViT-SO400M-14-SigLIP-384|{\"embed_dim\": 1152, \"vision_cfg\": {\"image_size\": 384, \"timm_model_name\": "
        + "\"vit_so400m_patch14_siglip_384\", \"timm_pool\": \"map\", \"timm_proj\": \"none\"}, \"text_cfg\": {\"context_length\": 64, "
        + "\"vocab_size\": 32000, \"width\": 1152, \"heads\": 16, \"layers\": 27, \"mlp_ratio\": 3.7362, \"no_causal_mask\": true, "
        + "\"proj_bias\": true, \"pool_type\": \"last\"}}",
  })
  void openClipConfigsReadBackTheArchitecture(String arch, String modelCfg) throws Exception {
    ClipConfig expected = Architectures.parse(arch, 0);
    JsonNode cfg = Json.mapper().readTree(modelCfg);
    ClipConfig inferred = ClipConfigs.infer(ShapeOnlyTensors.of(ClipLayout.expectedShapes(expected), arch), cfg, null);
    assertEquals(expected, inferred);
  }

  /** Without a config the grid gives the size (378 for SO400M-14's 27 patches) and the text heads the vision heads. */
  @org.junit.jupiter.api.Test
  void withoutAConfigTheShapesAndHeadWidthDecide() throws Exception {
    ClipConfig so400m = Architectures.parse("ViT-SO400M-14-SigLIP-384", 0);
    ClipConfig inferred = ClipConfigs.infer(ShapeOnlyTensors.of(ClipLayout.expectedShapes(so400m), "so400m"),
        Json.mapper().readTree("{\"text_cfg\": {\"heads\": 16}}"), null);
    assertEquals(16, ((SiglipVisionConfig) inferred.vision()).heads());
    assertEquals(378, inferred.vision().imageSize());
    assertEquals(Activation.GELU, inferred.activation());
  }

  private static double millions(Map<String, long[]> shapes, String prefix) {
    return shapes.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> io.remoteclip.checkpoint.TensorData.numel(e.getValue())).sum() / 1e6;
  }
}

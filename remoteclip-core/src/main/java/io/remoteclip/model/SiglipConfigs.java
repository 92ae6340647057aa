package io.remoteclip.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers a SigLIP's architecture from its open_clip state dict. Widths, depths, MLP widths, patch, grid, context
 * and vocabulary are in the shapes; what is not:
 *
 * <ul>
 *   <li>vision heads: {@code vision_cfg.heads} when a config gives it (Hugging Face configs do), else the size
 *       in open_clip's timm model name ({@code vit_base_…}: 12; {@code large}, {@code so400m}, {@code giantopt}:
 *       16), else the text tower's head width (equal in every published SigLIP), else width / 64;
 *   <li>text heads: {@code text_cfg.heads}, else width / 64;
 *   <li>image size: {@code vision_cfg.image_size}, else grid × patch (they differ for SO400M-14 at 384 px, whose
 *       27 × 14 = 378 pixels leave the convolution's remainder unused).
 * </ul>
 */
final class SiglipConfigs {
  private static final Pattern TIMM_NAME = Pattern.compile("vit_([a-z0-9]+)_patch\\d+_siglip.*");
  private static final Map<String, Integer> TIMM_HEADS = Map.of("base", 12, "large", 16, "so400m", 16, "giantopt", 16);

  private SiglipConfigs() {}

  static ClipConfig infer(StateDict sd, JsonNode modelCfg, Activation act) throws ModelConfigException {
    JsonNode vcfg = modelCfg == null ? null : modelCfg.get("vision_cfg");
    JsonNode tcfg = modelCfg == null ? null : modelCfg.get("text_cfg");
    TextConfig text = text(sd, tcfg);
    SiglipVisionConfig vision = vision(sd, vcfg, text);
    int embedDim = (int) sd.get("text.text_projection.weight").dim(0);
    if (embedDim != vision.width()) {
      throw new ModelConfigException(sd.source() + ": the text projection gives " + embedDim + "-d features but the "
          + "image tower's MAP head " + vision.width() + "-d; an image projection (timm_proj) is not supported");
    }
    ClipConfigs.checkEmbedDim(sd, modelCfg, embedDim);
    return new ClipConfig(vision, text, embedDim, act);
  }

  private static SiglipVisionConfig vision(StateDict sd, JsonNode vcfg, TextConfig text) throws ModelConfigException {
    TensorData conv = sd.get(ClipConfigs.SIGLIP_PATCH);
    if (conv.rank() != 4 || conv.dim(1) != 3 || conv.dim(2) != conv.dim(3)) {
      throw new ModelConfigException(sd.source() + ": tensor '" + ClipConfigs.SIGLIP_PATCH + "' has shape "
          + Arrays.toString(conv.shape()) + ", expected [width, 3, patch, patch]");
    }
    int width = (int) conv.dim(0);
    int patch = (int) conv.dim(3);
    int layers = sd.countNumbered("visual.trunk.blocks.");
    if (layers == 0) {
      throw new ModelConfigException(sd.source() + ": no 'visual.trunk.blocks.N' tensors; not a SigLIP image tower");
    }
    if (!sd.contains("visual.trunk.attn_pool.latent")) {
      throw new ModelConfigException(sd.source() + ": no 'visual.trunk.attn_pool.latent': only SigLIP image towers with "
          + "a MAP head (timm global_pool \"map\") are supported");
    }
    TensorData pos = sd.get("visual.trunk.pos_embed");
    long tokens = pos.dim(pos.rank() - 2);
    int grid = (int) Math.round(Math.sqrt(tokens));
    if ((long) grid * grid != tokens) {
      throw new ModelConfigException(sd.source() + ": 'visual.trunk.pos_embed' has " + tokens
          + " positions, not grid*grid for any grid (a class token is not expected in SigLIP)");
    }
    int image = grid * patch;
    int configured = imageSize(vcfg);
    if (configured > 0) {
      if (configured / patch != grid) {
        throw new ModelConfigException(sd.source() + ": the config's image size " + configured + " gives a "
            + configured / patch + "x" + configured / patch + " grid of " + patch + "-pixel patches, but 'visual.trunk.pos_embed' has "
            + grid + "x" + grid + " positions");
      }
      image = configured;
    }
    int mlp = (int) sd.get("visual.trunk.blocks.0.mlp.fc1.weight").dim(0);
    return new SiglipVisionConfig(width, layers, visionHeads(sd, vcfg, width, text), patch, image, mlp);
  }

  private static int visionHeads(StateDict sd, JsonNode vcfg, int width, TextConfig text) throws ModelConfigException {
    int heads = -1;
    if (vcfg != null && vcfg.has("heads")) {
      heads = vcfg.get("heads").asInt();
    } else if (vcfg != null && vcfg.has("timm_model_name")
        && TIMM_NAME.matcher(vcfg.get("timm_model_name").asText().toLowerCase(Locale.ROOT)).matches()) {
      Matcher m = TIMM_NAME.matcher(vcfg.get("timm_model_name").asText().toLowerCase(Locale.ROOT));
      m.matches();
      heads = TIMM_HEADS.getOrDefault(m.group(1), -1);
    }
    if (heads <= 0) {
      int textHeadWidth = text.width() / text.heads();
      heads = width % textHeadWidth == 0 ? width / textHeadWidth : width / ClipConfigs.HEAD_WIDTH;
    }
    if (heads <= 0 || width % heads != 0) {
      throw new HeadLayoutException(sd.source() + ": SigLIP vision width " + width + " cannot be split into " + heads
          + " heads; give vision_cfg.heads in a model config JSON");
    }
    return heads;
  }

  private static TextConfig text(StateDict sd, JsonNode tcfg) throws ModelConfigException {
    int width = (int) sd.get("text.ln_final.weight").dim(0);
    int context = (int) sd.get("text.positional_embedding").dim(0);
    int vocab = (int) sd.get("text.token_embedding.weight").dim(0);
    int layers = sd.countNumbered("text.transformer.resblocks.");
    if (layers == 0) {
      throw new ModelConfigException(sd.source() + ": no 'text.transformer.resblocks.N' tensors; text tower missing");
    }
    int mlp = (int) sd.get("text.transformer.resblocks.0.mlp.c_fc.weight").dim(0);
    int heads = tcfg != null && tcfg.has("heads") ? tcfg.get("heads").asInt() : width / ClipConfigs.HEAD_WIDTH;
    if (heads <= 0 || width % heads != 0) {
      throw new HeadLayoutException(sd.source() + ": text width " + width + " cannot be split into " + heads
          + " heads; give the head count in a model config JSON (text_cfg.heads)");
    }
    return new TextConfig(width, layers, heads, context, vocab, mlp);
  }

  /** {@code image_size} as open_clip writes it (a number or [h, w], square here); 0 when absent. */
  private static int imageSize(JsonNode vcfg) throws ModelConfigException {
    JsonNode n = vcfg == null ? null : vcfg.get("image_size");
    if (n == null || n.isNull()) {
      return 0;
    }
    if (n.isArray()) {
      if (n.size() != 2 || n.get(0).asInt() != n.get(1).asInt()) {
        throw new ModelConfigException("vision_cfg.image_size " + n + ": only square inputs are supported");
      }
      return n.get(0).asInt();
    }
    return n.asInt();
  }
}

package io.remoteclip.model;

import io.remoteclip.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Infers a {@link ClipConfig} from tensor shapes (SPEC §2). Head counts are not in the shapes: they
 * come from the named architecture with the same shapes ({@link Architectures#matching}), else width / 64, and
 * are overridden by an open_clip model config JSON ({@code vision_cfg.head_width},
 * {@code text_cfg.heads}, {@code quick_gelu}), either {@code open_clip_config.json} ({@code model_cfg}) or
 * a plain model config such as the golden fixtures' {@code config.json}. SigLIP state dicts are read by
 * {@link SiglipConfigs}.
 */
public final class ClipConfigs {
  public static final int HEAD_WIDTH = 64;
  static final String SIGLIP_PATCH = "visual.trunk.patch_embed.proj.weight";
  private static final String[] CONFIG_NAMES = {"open_clip_config.json", "config.json"};

  private ClipConfigs() {}

  /** The config JSON next to {@code checkpoint}, or null. */
  public static Path findConfigNextTo(Path checkpoint) {
    Path dir = checkpoint.toAbsolutePath().getParent();
    if (dir == null) {
      return null;
    }
    for (String name : CONFIG_NAMES) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** Reads an open_clip model config, unwrapping {@code model_cfg}; null path gives null. */
  public static JsonNode readModelConfig(Path file) throws ModelConfigException {
    JsonNode root = readConfigRoot(file);
    return root != null && root.has("model_cfg") ? root.get("model_cfg") : root;
  }

  /** A model config file's whole JSON object (open_clip's {@code model_cfg} and {@code preprocess_cfg}, or a transformers config); null path gives null. */
  public static JsonNode readConfigRoot(Path file) throws ModelConfigException {
    if (file == null) {
      return null;
    }
    try {
      JsonNode root = Json.mapper().readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new ModelConfigException(file + ": model config is not a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw new ModelConfigException(file + ": cannot read model config: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /**
   * The activation to build with: the one asked for explicitly, else what the config says
   * ({@link #configActivation}), else {@code fallback} (what a model registry knows; null: the family's default).
   */
  public static Activation chooseActivation(Activation explicit, JsonNode modelCfg, Activation fallback) {
    if (explicit != null) {
      return explicit;
    }
    Activation fromConfig = configActivation(modelCfg);
    return fromConfig != null ? fromConfig : fallback;
  }

  /**
   * The activation an open_clip model config names, or null: {@code quick_gelu} true → QuickGELU; the tanh
   * approximation where open_clip's SigLIP 2 configs ask for it ({@code text_cfg.act_kwargs.approximate: "tanh"},
   * {@code vision_cfg.timm_model_kwargs.act_layer: "gelu_tanh"}); {@code quick_gelu} false → erf GELU.
   */
  public static Activation configActivation(JsonNode modelCfg) {
    if (modelCfg == null) {
      return null;
    }
    if (modelCfg.path("quick_gelu").asBoolean(false)) {
      return Activation.QUICK_GELU;
    }
    if ("tanh".equals(modelCfg.path("text_cfg").path("act_kwargs").path("approximate").asText(null))
        || "gelu_tanh".equals(modelCfg.path("vision_cfg").path("timm_model_kwargs").path("act_layer").asText(null))) {
      return Activation.GELU_TANH;
    }
    return modelCfg.has("quick_gelu") ? Activation.GELU : null;
  }

  /**
   * Architecture of {@code sd} (open_clip key names: a CLIP, or a SigLIP when the timm trunk's
   * {@code visual.trunk.patch_embed} is there); {@code modelCfg} (nullable) supplies head counts, image size and
   * activation, {@code activation} (nullable) overrides the config and the family's default (QuickGELU for CLIP,
   * erf GELU for SigLIP, as timm's and open_clip's SigLIP v1).
   */
  public static ClipConfig infer(StateDict sd, JsonNode modelCfg, Activation activation) throws ModelConfigException {
    boolean siglip = sd.contains(SIGLIP_PATCH);
    Activation act = activation != null ? activation : configActivation(modelCfg);
    if (act == null) {
      act = siglip ? Activation.GELU : Activation.QUICK_GELU;
    }
    if (siglip) {
      return SiglipConfigs.infer(sd, modelCfg, act);
    }
    JsonNode vcfg = modelCfg == null ? null : modelCfg.get("vision_cfg");
    JsonNode tcfg = modelCfg == null ? null : modelCfg.get("text_cfg");
    VisionConfig vision = sd.contains("visual.proj") ? inferVit(sd, vcfg) : inferResNet(sd, vcfg);
    TextConfig text = inferText(sd, tcfg);
    int embedDim = (int) sd.get("text_projection").dim(1);
    checkEmbedDim(sd, modelCfg, embedDim);
    return withNamedHeads(new ClipConfig(vision, text, embedDim, act), vcfg, tcfg);
  }

  static void checkEmbedDim(StateDict sd, JsonNode modelCfg, int embedDim) throws ModelConfigException {
    if (modelCfg != null && modelCfg.has("embed_dim") && modelCfg.get("embed_dim").asInt() != embedDim) {
      throw new ModelConfigException(sd.source() + ": embed_dim " + embedDim + " vs config's " + modelCfg.get("embed_dim").asInt());
    }
  }

  /**
   * Head counts the config does not give, taken from the named architecture with these shapes: the width / 64
   * default is wrong for some (ViT-H-14's vision tower has 16 heads of 80), and a checkpoint of a named
   * architecture then needs no model config.
   */
  private static ClipConfig withNamedHeads(ClipConfig c, JsonNode vcfg, JsonNode tcfg) {
    ClipConfig named = Architectures.matching(c);
    if (named == null) {
      return c;
    }
    VisionConfig vision = c.vision();
    if (vision instanceof VitConfig v && named.vision() instanceof VitConfig n && !has(vcfg, "heads", "head_width")) {
      vision = new VitConfig(v.width(), v.layers(), n.heads(), v.patchSize(), v.imageSize());
    }
    TextConfig t = c.text();
    if (!has(tcfg, "heads")) {
      t = new TextConfig(t.width(), t.layers(), named.text().heads(), t.contextLength(), t.vocabSize());
    }
    return new ClipConfig(vision, t, c.embedDim(), c.activation());
  }

  private static boolean has(JsonNode cfg, String... keys) {
    if (cfg != null) {
      for (String k : keys) {
        if (cfg.has(k)) {
          return true;
        }
      }
    }
    return false;
  }

  private static VitConfig inferVit(StateDict sd, JsonNode vcfg) throws ModelConfigException {
    TensorData conv = sd.get("visual.conv1.weight");
    if (conv.rank() != 4 || conv.dim(1) != 3 || conv.dim(2) != conv.dim(3)) {
      throw new ModelConfigException(sd.source() + ": tensor 'visual.conv1.weight' has shape "
          + Arrays.toString(conv.shape()) + ", expected [width, 3, patch, patch] for a ViT");
    }
    int width = (int) conv.dim(0);
    int patch = (int) conv.dim(3);
    int layers = sd.countNumbered("visual.transformer.resblocks.");
    long tokens = sd.get("visual.positional_embedding").dim(0);
    int grid = (int) Math.round(Math.sqrt(tokens - 1));
    if ((long) grid * grid + 1 != tokens) {
      throw new ModelConfigException(sd.source() + ": 'visual.positional_embedding' has " + tokens
          + " rows, not grid*grid + 1 for any grid");
    }
    if (layers == 0) {
      throw new ModelConfigException(sd.source() + ": no 'visual.transformer.resblocks.N' tensors; not a CLIP ViT image tower");
    }
    int heads = headsFrom(vcfg, width, sd, "vision");
    return new VitConfig(width, layers, heads, patch, grid * patch);
  }

  private static ResNetConfig inferResNet(StateDict sd, JsonNode vcfg) throws ModelConfigException {
    if (!sd.contains("visual.layer1.0.conv1.weight") || !sd.contains("visual.attnpool.positional_embedding")) {
      throw new ModelConfigException(sd.source() + ": neither 'visual.proj' (ViT) nor 'visual.layer1.0.conv1.weight' and "
          + "'visual.attnpool.positional_embedding' (ModifiedResNet) found; not an open_clip CLIP checkpoint");
    }
    int[] layers = new int[4];
    for (int i = 0; i < 4; i++) {
      layers[i] = sd.countNumbered("visual.layer" + (i + 1) + ".");
      if (layers[i] == 0) {
        throw new ModelConfigException(sd.source() + ": ModifiedResNet stage visual.layer" + (i + 1) + " is missing");
      }
    }
    int width = (int) sd.get("visual.layer1.0.conv1.weight").dim(0);
    long tokens = sd.get("visual.attnpool.positional_embedding").dim(0);
    int grid = (int) Math.round(Math.sqrt(tokens - 1));
    if ((long) grid * grid + 1 != tokens) {
      throw new ModelConfigException(sd.source() + ": 'visual.attnpool.positional_embedding' has " + tokens
          + " rows, not grid*grid + 1 for any grid");
    }
    int poolWidth = width * 32;
    int heads = poolWidth / HEAD_WIDTH;
    if (vcfg != null && vcfg.has("head_width")) {
      heads = poolWidth / vcfg.get("head_width").asInt();
    }
    return new ResNetConfig(layers, width, heads, grid * 32);
  }

  private static TextConfig inferText(StateDict sd, JsonNode tcfg) throws ModelConfigException {
    int width = (int) sd.get("ln_final.weight").dim(0);
    int context = (int) sd.get("positional_embedding").dim(0);
    int vocab = (int) sd.get("token_embedding.weight").dim(0);
    int layers = sd.countNumbered("transformer.resblocks.");
    if (layers == 0) {
      throw new ModelConfigException(sd.source() + ": no 'transformer.resblocks.N' tensors; text tower missing");
    }
    int heads = width / HEAD_WIDTH;
    if (tcfg != null && tcfg.has("heads")) {
      heads = tcfg.get("heads").asInt();
    }
    if (heads <= 0 || width % heads != 0) {
      throw new HeadLayoutException(sd.source() + ": text width " + width + " cannot be split into " + heads
          + " heads; give the head count in a model config JSON (text_cfg.heads)");
    }
    return new TextConfig(width, layers, heads, context, vocab);
  }

  private static int headsFrom(JsonNode vcfg, int width, StateDict sd, String tower) throws ModelConfigException {
    int headWidth = HEAD_WIDTH;
    if (vcfg != null && vcfg.has("head_width")) {
      headWidth = vcfg.get("head_width").asInt();
    }
    if (vcfg != null && vcfg.has("heads")) {
      return vcfg.get("heads").asInt();
    }
    if (headWidth <= 0 || width % headWidth != 0 || width / headWidth == 0) {
      throw new HeadLayoutException(sd.source() + ": " + tower + " width " + width + " is not a multiple of head width "
          + headWidth + "; give head_width in a model config JSON");
    }
    return width / headWidth;
  }
}

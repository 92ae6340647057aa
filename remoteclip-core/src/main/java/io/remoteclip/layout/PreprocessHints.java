package io.remoteclip.layout;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.ModelConfigException;
import io.remoteclip.image.Resample;
import io.remoteclip.image.ResizeMode;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ModelFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a model's files say about its image preprocessing; each part null when they say nothing. Read from
 * open_clip's {@code preprocess_cfg} ({@code open_clip_config.json}) or transformers'
 * {@code preprocessor_config.json} ({@code SiglipImageProcessor}: resize to {@code size.height × size.width}, i.e.
 * squash; {@code CLIPImageProcessor}: {@code size.shortest_edge} and a centre crop).
 */
public record PreprocessHints(float[] mean, float[] std, Resample resample, ResizeMode resizeMode) {
  static final PreprocessHints NONE = new PreprocessHints(null, null, null, null);
  static final String TRANSFORMERS_FILE = "preprocessor_config.json";

  /** SigLIP's published preprocessing when nothing is said: mean = std = 0.5, bicubic, squash. */
  static PreprocessHints familyDefault(ModelFamily family) {
    return family == ModelFamily.SIGLIP
        ? new PreprocessHints(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, Resample.BICUBIC,
            ResizeMode.SQUASH)
        : new PreprocessHints(null, null, Resample.BICUBIC, ResizeMode.SHORTEST);
  }

  /** open_clip's {@code preprocess_cfg} object of an {@code open_clip_config.json} root (null: none). */
  static PreprocessHints fromOpenClip(JsonNode root, Path file) throws ModelConfigException {
    JsonNode p = root == null ? null : root.get("preprocess_cfg");
    if (p == null || !p.isObject()) {
      return NONE;
    }
    try {
      return new PreprocessHints(triple(p.get("mean"), file, "mean"), triple(p.get("std"), file, "std"),
          p.has("interpolation") ? resample(p.get("interpolation").asText(), file) : null,
          p.has("resize_mode") ? ResizeMode.parse(p.get("resize_mode").asText()) : null);
    } catch (IllegalArgumentException e) {
      throw new ModelConfigException(file + ": preprocess_cfg: " + e.getMessage());
    }
  }

  /** transformers' {@code preprocessor_config.json} in {@code dir}, or {@link #NONE} when there is none. */
  static PreprocessHints fromTransformers(Path dir) throws ModelConfigException {
    Path file = dir.resolve(TRANSFORMERS_FILE);
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    JsonNode p = ClipConfigs.readConfigRoot(file);
    String type = p.path("image_processor_type").asText("");
    ResizeMode mode = type.startsWith("Siglip") ? ResizeMode.SQUASH
        : type.startsWith("CLIP") ? ResizeMode.SHORTEST
        : p.path("size").has("shortest_edge") ? ResizeMode.SHORTEST
        : p.path("size").has("height") ? ResizeMode.SQUASH : null;
    Resample resample = null;
    if (p.has("resample")) {
      resample = switch (p.get("resample").asInt()) {
        case 0 -> Resample.NEAREST;
        case 2 -> Resample.BILINEAR;
        case 3 -> Resample.BICUBIC;
        default -> throw new ModelConfigException(file + ": resample " + p.get("resample") + " is not supported "
            + "(0 nearest, 2 bilinear, 3 bicubic)");
      };
    }
    return new PreprocessHints(triple(p.get("image_mean"), file, "image_mean"), triple(p.get("image_std"), file, "image_std"),
        resample, mode);
  }

  private static float[] triple(JsonNode n, Path file, String name) throws ModelConfigException {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray() || n.size() != 3) {
      throw new ModelConfigException(file + ": " + name + " " + n + " is not three numbers");
    }
    return new float[] {(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
  }

  private static Resample resample(String name, Path file) throws ModelConfigException {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "bicubic" -> Resample.BICUBIC;
      case "bilinear" -> Resample.BILINEAR;
      case "nearest" -> Resample.NEAREST;
      default -> throw new ModelConfigException(file + ": interpolation '" + name + "' is not supported");
    };
  }

  /** Each part of this, else of {@code fallback}. */
  PreprocessHints or(PreprocessHints fallback) {
    return new PreprocessHints(mean != null ? mean : fallback.mean, std != null ? std : fallback.std,
        resample != null ? resample : fallback.resample, resizeMode != null ? resizeMode : fallback.resizeMode);
  }
}

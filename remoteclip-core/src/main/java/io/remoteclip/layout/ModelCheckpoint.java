package io.remoteclip.layout;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.ModelConfigException;
import io.remoteclip.ProgressListener;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ClipLayout;
import io.remoteclip.model.ModelFamily;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's weights under open_clip's names, with what its files say about it: the layout they came in, the
 * model config (a transformers {@code config.json} read as an open_clip {@code model_cfg}), preprocessing and
 * tokenizer. Every way of loading a model goes through {@link #read}: file formats, wrappers and prefixes are
 * undone by {@link Checkpoints} (its {@code KeyNormalizer}), transformers' names are mapped here, so the towers
 * see one naming whatever was on disk.
 *
 * @param stateDict open_clip names ({@link StateDict#notes()} says what was unwrapped, stripped or mapped)
 * @param modelConfig the open_clip {@code model_cfg} (null when there is no config)
 * @param configFile the config file read (null: none)
 */
public record ModelCheckpoint(StateDict stateDict, CheckpointLayout layout, JsonNode modelConfig, Path configFile,
    PreprocessHints preprocessHints) {

  /**
   * Reads {@code weights} (a checkpoint file, a shard index or a zip holding a checkpoint) with {@code configFile}
   * (nullable): a transformers config makes it a transformers model; weights with transformers' names need one.
   */
  public static ModelCheckpoint read(Path weights, Path configFile, ProgressListener progress)
      throws IOException, ModelConfigException {
    JsonNode root = ClipConfigs.readConfigRoot(configFile);
    if (HfConfigs.isTransformersConfig(root)) {
      ModelFamily family = HfConfigs.family(root, configFile);
      JsonNode modelCfg = HfConfigs.toOpenClip(root, family, configFile);
      StateDict sd = HfKeys.toOpenClip(Checkpoints.read(weights, progress), family);
      Path dir = configFile.toAbsolutePath().getParent();
      return new ModelCheckpoint(sd, CheckpointLayout.TRANSFORMERS, modelCfg, configFile,
          PreprocessHints.fromTransformers(dir));
    }
    StateDict sd = Checkpoints.read(weights, progress);
    if (HfKeys.looksLikeTransformers(sd)) {
      throw new ModelConfigException(weights + ": tensors have transformers' names (vision_model., text_model.) but no "
          + "transformers config.json was found with them; load the model's folder");
    }
    JsonNode modelCfg = root == null ? null : root.has("model_cfg") ? root.get("model_cfg") : root;
    return new ModelCheckpoint(sd, CheckpointLayout.OPEN_CLIP, modelCfg, configFile,
        PreprocessHints.fromOpenClip(root, configFile));
  }

  /**
   * The architecture, validated against the tensors. Activation: {@code explicit}, else the config's, else
   * {@code registry} (what a registry entry says; null for files), else the family's default.
   */
  public ClipConfig config(Activation explicit, Activation registry) throws ModelConfigException {
    ClipConfig c = ClipConfigs.infer(stateDict, modelConfig, ClipConfigs.chooseActivation(explicit, modelConfig, registry));
    ClipLayout.validate(stateDict, c);
    return c;
  }

  /**
   * Image preprocessing for {@code config}: what the files say, else what a registry entry says ({@code known}
   * true: {@code mean}, {@code std} come from it), else the family's published one (SigLIP: 0.5, bicubic, squash).
   */
  public PreprocessConfig preprocess(ClipConfig config, float[] mean, float[] std, boolean known) {
    PreprocessHints family = PreprocessHints.familyDefault(config.family());
    PreprocessHints registry = known ? new PreprocessHints(mean, std, null, null) : PreprocessHints.NONE;
    PreprocessHints h = preprocessHints.or(registry).or(family).or(new PreprocessHints(mean, std, null, null));
    return new PreprocessConfig(config.vision().imageSize(), h.mean(), h.std(), h.resample(), h.resizeMode());
  }

  /** The tokenizer of {@code config}'s family and this layout, reading {@code vocab} (null when none was found). */
  public TokenizerSpec tokenizer(ClipConfig config, Path vocab) {
    if (config.family() == ModelFamily.CLIP) {
      return new TokenizerSpec(TokenizerSpec.Kind.CLIP_BPE, vocab);
    }
    return new TokenizerSpec(layout == CheckpointLayout.TRANSFORMERS ? TokenizerSpec.Kind.SENTENCEPIECE_TRANSFORMERS
        : TokenizerSpec.Kind.SENTENCEPIECE_OPEN_CLIP, vocab);
  }

  /** What reading undid on the way in (wrappers, prefixes, shards, renames), one line each. */
  public List<String> notes() {
    return stateDict.notes();
  }
}

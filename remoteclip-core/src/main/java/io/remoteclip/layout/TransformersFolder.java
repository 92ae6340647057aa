package io.remoteclip.layout;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.SafetensorsWriter;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.fs.StagingDirectory;
import io.remoteclip.model.ModelFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes weights held under open_clip's names as a transformers model folder like the one they were read from:
 * {@code config.json} (the source's: training changes no architecture field), {@code model.safetensors} with
 * {@code SiglipModel}'s or {@code CLIPModel}'s names ({@link HfKeys#toTransformers}), and the source's tokenizer and
 * preprocessor files, so the folder loads in transformers and back here as the model it came from.
 */
public final class TransformersFolder {
  /** Files besides config and weights that make a folder loadable on its own (tokenizer, preprocessor). */
  static final List<String> COMPANION_FILES = List.of("spiece.model", "tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "preprocessor_config.json", "vocab.json", "merges.txt");

  private TransformersFolder() {}

  /**
   * Every file a model read from {@code weights} needs besides the weights themselves: the shards a sharded
   * index names, and the tokenizer and preprocessor files beside it. What has to travel with a model that is
   * copied elsewhere (Spark's {@code --ship files}), where only the named files would arrive.
   */
  public static List<java.nio.file.Path> filesBeside(java.nio.file.Path weights) throws java.io.IOException {
    List<java.nio.file.Path> out = new java.util.ArrayList<>();
    if (weights.getFileName().toString().endsWith(".index.json")) {
      out.addAll(io.remoteclip.checkpoint.Checkpoints.shardFiles(weights));
    }
    for (String name : COMPANION_FILES) {
      java.nio.file.Path f = weights.resolveSibling(name);
      if (java.nio.file.Files.isRegularFile(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * Writes {@code weights} to the folder {@code target} (built beside it and renamed when complete, replacing an
   * earlier one written by {@code kind}), taking config and companion files from the folder {@code source} was read from.
   */
  public static void write(Path target, StateDict weights, ModelCheckpoint source, ModelFamily family, String kind)
      throws IOException, ModelConfigException, DataFormatException {
    if (source.layout() != CheckpointLayout.TRANSFORMERS || source.configFile() == null) {
      throw new IllegalArgumentException(source.stateDict().source() + " was not read from a transformers folder");
    }
    write(target, weights, family, source.configFile(), kind);
  }

  /** The same with the transformers {@code config} given by file; companion files come from its folder. */
  public static void write(Path target, StateDict weights, ModelFamily family, Path config, String kind)
      throws IOException, ModelConfigException, DataFormatException {
    StateDict hf = HfKeys.toTransformers(weights, family);
    Path from = config.toAbsolutePath().getParent();
    try (StagingDirectory staging = StagingDirectory.create(target, true, kind)) {
      try {
        copy(config, staging.path().resolve("config.json"));
        SafetensorsWriter.write(staging.path().resolve("model.safetensors"), hf, Map.of("format", "pt"));
        for (String name : COMPANION_FILES) {
          if (Files.isRegularFile(from.resolve(name))) {
            copy(from.resolve(name), staging.path().resolve(name));
          }
        }
      } catch (IOException e) {
        throw staging.named(e);
      }
      staging.commit();
    }
  }

  /** Content only: Files.copy(Path, Path) keeps the source's mode, and a read-only model folder would give read-only outputs. */
  private static void copy(Path from, Path to) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(from)) {
      Files.copy(in, to);
    }
  }
}

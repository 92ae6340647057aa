package io.remoteclip.hub;

import io.remoteclip.model.Activation;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything needed to load a model, with every file on local disk.
 *
 * @param name the registry name, or the file name for a path
 * @param modelId stable identity for caches of derived data (embeddings, indexes): the registry name
 *     with the weights' SHA-256, or the absolute path with size and modification time
 * @param weights checkpoint file ({@code .pt}, {@code .safetensors} or {@code .bin})
 * @param vocab BPE vocabulary ({@code .txt.gz} in the CLIP format)
 * @param config open_clip model config JSON, or {@code null}
 * @param architecture open_clip architecture name, or {@code null} when unknown
 * @param activation MLP activation, or {@code null} when the model's own files decide (a model given by path)
 * @param mean normalisation mean (RGB)
 * @param std normalisation standard deviation (RGB)
 * @param imageSize input resolution, or {@code null} to take it from the weights' shapes
 * @param promptSet default zero-shot prompt set
 * @param bundled true for a model shipped in the repository
 * @param traits what the registry records beyond the files ({@link Traits#UNKNOWN} for a file or directory)
 */
public record ResolvedModel(
    String name,
    String modelId,
    Path weights,
    Path vocab,
    Path config,
    String architecture,
    Activation activation,
    List<Double> mean,
    List<Double> std,
    Integer imageSize,
    String promptSet,
    boolean bundled,
    Traits traits) {

  public ResolvedModel {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    traits = traits == null ? Traits.UNKNOWN : traits;
  }

  /** A model the registry knows nothing more about than its files. */
  public ResolvedModel(String name, String modelId, Path weights, Path vocab, Path config, String architecture,
      Activation activation, List<Double> mean, List<Double> std, Integer imageSize, String promptSet, boolean bundled) {
    this(name, modelId, weights, vocab, config, architecture, activation, mean, std, imageSize, promptSet, bundled,
        Traits.UNKNOWN);
  }

  /**
   * The registry's record of a model beyond its files, in the registry's spelling (see {@link ModelEntry}); every
   * field is {@code null} for a model given as a file or directory, whose loader infers them.
   *
   * @param family {@code clip} or {@code siglip}
   * @param layout {@code open_clip}, {@code open_clip_training}, {@code open_clip_zip} or {@code huggingface}
   * @param tokenizer {@code clip-bpe}, {@code siglip-open_clip} or {@code siglip-hf}
   * @param resizeMode {@code shortest} or {@code squash}
   * @param interpolation {@code bicubic} or {@code bilinear}
   * @param activation the activation's name, also where {@link ResolvedModel#activation()} is null
   * @param license licence of the weights
   */
  public record Traits(String family, String layout, String tokenizer, String resizeMode, String interpolation,
      String activation, String license) {
    public static final Traits UNKNOWN = new Traits(null, null, null, null, null, null, null);

    static Traits of(ModelEntry m) {
      return new Traits(m.family(), m.layout(), m.tokenizer(), m.resizeMode(), m.interpolation(), m.activation(),
          m.license());
    }
  }

  /**
   * The open_clip model config that describes these weights: {@code override} (a {@code --config}), else the
   * registry's config file, else {@code open_clip_config.json}/{@code config.json} next to the weights; null if none.
   */
  public Path configFile(Path override) {
    if (override != null) {
      return override;
    }
    return config != null ? config : io.remoteclip.model.ClipConfigs.findConfigNextTo(weights);
  }

  /**
   * True for a checkpoint file or folder given by path: no registry entry describes it, so its activation, mean and
   * std here are only defaults, and what its files (or its family) say comes first.
   */
  public boolean userFiles() {
    return modelId.startsWith(ModelResolver.FILE_ID_PREFIX);
  }

  /** Mean as floats, for the image preprocessor. */
  public float[] meanArray() {
    return floats(mean);
  }

  /** Standard deviation as floats, for the image preprocessor. */
  public float[] stdArray() {
    return floats(std);
  }

  private static float[] floats(List<Double> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }
}

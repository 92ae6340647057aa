package io.remoteclip.hub;

import io.remoteclip.model.Activation;

import java.util.List;

/**
 * A named model of the registry: where its files come from and how to run it.
 *
 * @param name the name users type ({@code --model RemoteCLIP-ViT-B-32}); matched case-insensitively
 * @param description one line for {@code remoteclip models}
 * @param architecture open_clip architecture name (e.g. {@code ViT-B-32}, {@code RN50}), informative
 * @param activation MLP activation the weights were trained with
 * @param mean per-channel normalisation mean (RGB)
 * @param std per-channel normalisation standard deviation (RGB)
 * @param imageSize input resolution, or {@code null} when the weights' shapes must tell
 * @param promptSet name of the default zero-shot prompt templates
 * @param vocab name of a {@link ModelRegistry#vocabulary vocabulary} entry; {@code null} for bundled models
 * @param weights the weights file; {@code null} for bundled models
 * @param config an open_clip model config file, or {@code null}
 * @param bundled true when the files ship in the repository under {@code models/<name>/}
 * @param license licence of the weights
 * @param source provenance (repository and revision) of the recorded size and checksum
 * @param origin where this entry was read from (built-in registry or a user file)
 */
public record ModelEntry(
    String name,
    String description,
    String architecture,
    Activation activation,
    List<Double> mean,
    List<Double> std,
    Integer imageSize,
    String promptSet,
    String vocab,
    RemoteFile weights,
    RemoteFile config,
    boolean bundled,
    String license,
    String source,
    String origin) {

  public ModelEntry {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
  }

  /** The remote files of this model besides the vocabulary, weights first. */
  public List<RemoteFile> remoteFiles() {
    if (bundled) {
      return List.of();
    }
    return config == null ? List.of(weights) : List.of(weights, config);
  }
}

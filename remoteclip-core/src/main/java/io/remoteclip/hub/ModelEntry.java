package io.remoteclip.hub;

import io.remoteclip.model.Activation;

import java.util.ArrayList;
import java.util.List;

/**
 * A named model of the registry: where its files come from and how to run it.
 *
 * @param name the name users type ({@code --model RemoteCLIP-ViT-B-32}); matched case-insensitively
 * @param description one line for {@code remoteclip models}
 * @param family {@code clip} (softmax over cosine logits) or {@code siglip} (sigmoid)
 * @param architecture open_clip architecture name (e.g. {@code ViT-B-32}, {@code ViT-H-14}, {@code RN50})
 * @param layout how the weights are stored ({@link #LAYOUTS})
 * @param activation the MLP activation as the registry spells it ({@code quick_gelu}, {@code gelu},
 *     {@code gelu_pytorch_tanh})
 * @param mean per-channel normalisation mean (RGB)
 * @param std per-channel normalisation standard deviation (RGB)
 * @param imageSize input resolution, or {@code null} when the weights' shapes must tell
 * @param resizeMode {@code shortest} (shorter side to the size, then centre crop: OpenAI CLIP) or {@code squash}
 *     (both sides to the size: SigLIP)
 * @param interpolation resampling filter of the resize: {@code bicubic} or {@code bilinear}
 * @param promptSet name of the default zero-shot prompt templates
 * @param tokenizer the text pipeline ({@link #TOKENIZERS})
 * @param vocab name of a {@link ModelRegistry#vocabulary vocabulary} entry, or {@code null} when the model
 *     ships its own tokenizer file ({@code vocabFile}) or is bundled
 * @param weights the weights file; {@code null} for bundled models
 * @param config the model's config file (open_clip or Hugging Face), or {@code null}
 * @param vocabFile the model's own tokenizer file ({@code spiece.model}, {@code tokenizer.json}), or {@code null}
 * @param otherFiles further files of the model's directory (a Hugging Face processor config, special tokens...)
 * @param bundled true when the files ship in the repository under {@code models/<name>/}
 * @param license licence of the weights, or {@code null} when none is stated
 * @param source provenance (repository and revision) of the recorded sizes and checksums
 * @param origin where this entry was read from (built-in registry or a user file)
 */
public record ModelEntry(
    String name,
    String description,
    String family,
    String architecture,
    String layout,
    String activation,
    List<Double> mean,
    List<Double> std,
    Integer imageSize,
    String resizeMode,
    String interpolation,
    String promptSet,
    String tokenizer,
    String vocab,
    RemoteFile weights,
    RemoteFile config,
    RemoteFile vocabFile,
    List<RemoteFile> otherFiles,
    boolean bundled,
    String license,
    String source,
    String origin) {
  /** Model families: CLIP (softmax) and SigLIP (sigmoid). */
  public static final List<String> FAMILIES = List.of("clip", "siglip");

  /**
   * Weight layouts: an open_clip state dict ({@code model.state_dict()}, with or without an open_clip config
   * beside it), an open_clip training checkpoint ({@code {"epoch", "state_dict": {"module.…"}}}), such a
   * checkpoint inside a {@code .zip} (SkyCLIP), and a Hugging Face {@code transformers} directory.
   */
  public static final List<String> LAYOUTS = List.of("open_clip", "open_clip_training", "open_clip_zip", "huggingface");

  /**
   * Text pipelines: the CLIP BPE ({@code clip-bpe}); SigLIP's SentencePiece as open_clip runs it (cleaning,
   * context 64, {@code </s>} appended: {@code siglip-open_clip}) and as transformers' {@code SiglipTokenizer} runs
   * it ({@code siglip-hf}).
   */
  public static final List<String> TOKENIZERS = List.of("clip-bpe", "siglip-open_clip", "siglip-hf");

  public static final List<String> RESIZE_MODES = List.of("shortest", "squash");
  public static final List<String> INTERPOLATIONS = List.of("bicubic", "bilinear");

  public ModelEntry {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    otherFiles = List.copyOf(otherFiles);
  }

  /**
   * The activation the DJL and ONNX towers build this model with, or {@code null} when the model's own config
   * decides ({@code gelu_pytorch_tanh} of Hugging Face SigLIP configs, which {@link Activation} does not name).
   */
  public Activation towerActivation() {
    try {
      return Activation.parse(activation);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Every remote file of this model besides a registry vocabulary: weights first, then config, tokenizer, others. */
  public List<RemoteFile> remoteFiles() {
    if (bundled) {
      return List.of();
    }
    List<RemoteFile> out = new ArrayList<>();
    out.add(weights);
    if (config != null) {
      out.add(config);
    }
    if (vocabFile != null) {
      out.add(vocabFile);
    }
    out.addAll(otherFiles);
    return out;
  }

  /** {@code weights}, {@code config}, {@code vocabulary} or {@code file}: what a file of {@link #remoteFiles} is for. */
  public String roleOf(RemoteFile f) {
    if (f == weights) {
      return "weights";
    }
    if (f == config) {
      return "config";
    }
    return f == vocabFile ? "vocabulary" : "file";
  }
}

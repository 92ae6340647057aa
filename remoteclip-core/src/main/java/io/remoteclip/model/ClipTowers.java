package io.remoteclip.model;

/**
 * The two towers of a loaded CLIP on some engine, on plain Java arrays: what an encoder needs from a model.
 * {@link ClipModel} runs them on DJL/PyTorch; other engines (ONNX Runtime, in its own module) implement
 * the same contract so that every command can run on either. Implementations are thread-safe.
 */
public interface ClipTowers extends AutoCloseable {
  /** Identifies the weights (name or path plus content fingerprint), for caches and indexes. */
  String id();

  /** The MLP activation the towers compute. */
  Activation activation();

  /**
   * The number format the towers compute in, as recorded in encoder identities: {@code fp32}, {@code bf16}
   * ({@link Precision#cliName()}), or an engine's own (ONNX Runtime's {@code int8}).
   */
  String numberFormat();

  int embedDim();

  /** Input resolution S of the image tower (pixels are 3 x S x S). */
  int imageSize();

  /** Token positions of the text tower. */
  int contextLength();

  /** Rows of the token embedding (largest token id + 1). */
  int vocabSize();

  /** The raw learnable logit scale (before exp). */
  float logitScale();

  /** CLIP or SigLIP: what the logits mean and how label scores are made from them. */
  default ModelFamily family() {
    return ModelFamily.CLIP;
  }

  /** The learned bias added to the scaled cosines (SigLIP); 0 for CLIP. */
  default float logitBias() {
    return 0f;
  }

  /** {@code pixels}: {@code n} preprocessed images, CHW, concatenated → n unnormalised feature rows. */
  float[][] encodeImages(float[] pixels, int n);

  /** {@code tokens}: rows of token ids (context length each) → unnormalised feature rows. */
  float[][] encodeTexts(long[][] tokens);

  @Override
  void close();
}

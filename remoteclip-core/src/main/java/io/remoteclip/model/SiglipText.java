package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * open_clip's SigLIP {@code TextTransformer} ({@code no_causal_mask}, {@code pool_type="last"},
 * {@code proj_bias}; Hugging Face's {@code SiglipTextTransformer}): token + position embeddings → blocks with
 * no mask at all (padding is attended too) → ln_final → the last position → Linear projection with bias.
 */
final class SiglipText {
  private SiglipText() {}

  /**
   * {@code tokens} int64 [B, T] with T the full context (the feature is read at position T − 1 whatever token
   * is there, and every position is attended, so rows cannot be shortened) → features [B, embed].
   */
  static NDArray forward(NDArray tokens, Weights w, TextConfig c, Activation act, ActivationTap tap) {
    long b = tokens.getShape().get(0);
    long t = tokens.getShape().get(1);
    if (t != c.contextLength()) {
      throw new IllegalArgumentException("SigLIP text rows must have the context length " + c.contextLength()
          + " (the feature is read at the last position), got " + t);
    }
    NDArray x = Embedding.embedding(tokens, w.get("text.token_embedding.weight"), SparseFormat.DENSE).head();
    x = Layers.release(x, x.add(w.get("text.positional_embedding"))); // [B, T, W]
    ActivationTap.tap(tap, "txt_embed", x);
    for (int i = 0; i < c.layers(); i++) {
      x = Layers.release(x, Layers.residualBlock(x, w, BlockKeys.openClip("text.transformer.resblocks." + i),
          c.heads(), null, act, SiglipVision.LN_EPS));
      ActivationTap.tap(tap, "txt_block" + i, x);
    }
    x = Layers.release(x, Layers.layerNorm(x, w, "text.ln_final", SiglipVision.LN_EPS));
    ActivationTap.tap(tap, "txt_ln_final", x);
    NDArray pooled = Layers.release(x, x.get(":, {}, :", t - 1).reshape(b, c.width()));
    ActivationTap.tap(tap, "txt_pooled", pooled);
    return Layers.release(pooled, Layers.linear(pooled, w, "text.text_projection"));
  }
}

package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/** open_clip {@code CLIP.encode_text}: token + position embeddings → causal blocks → ln_final → EOT → projection. */
public final class TextTransformer {
  private TextTransformer() {}

  /** {@code tokens} int64 [B, T] → features [B, embed] (not normalised). */
  public static NDArray forward(NDArray tokens, Weights w, TextConfig c, Activation act, ActivationTap tap) {
    return forward(tokens, w, c, act, tap, null);
  }

  /**
   * As {@link #forward(NDArray, Weights, TextConfig, Activation, ActivationTap)} with a prebuilt
   * {@link #causalMask} of the weights' type (null: built for this call), at least as long as the tokens: rows
   * may be shorter than the context ({@link TokenRows#longestText}), so the positions and the mask are cut to them.
   */
  public static NDArray forward(NDArray tokens, Weights w, TextConfig c, Activation act, ActivationTap tap,
      NDArray causalMask) {
    long b = tokens.getShape().get(0);
    long t = tokens.getShape().get(1);
    NDArray x = Embedding.embedding(tokens, w.get("token_embedding.weight"), SparseFormat.DENSE).head();
    NDArray pos = w.get("positional_embedding");
    if (pos.getShape().get(0) != t) {
      pos = pos.get("0:{}", t);
      pos.attach(tokens.getManager()); // a slice of a weight would otherwise live as long as the model
    }
    x = x.add(pos); // [B, T, W]
    ActivationTap.tap(tap, "txt_embed", x);
    NDArray mask = causalMask;
    if (mask == null || mask.getShape().get(0) < t) {
      mask = causalMask(tokens.getManager(), (int) t).toType(x.getDataType(), false);
    } else if (mask.getShape().get(0) != t) {
      mask = mask.get("0:{}, 0:{}", t, t); // the top-left block of a causal mask is the causal mask of t positions
      mask.attach(tokens.getManager());
    }
    for (int i = 0; i < c.layers(); i++) {
      x = Layers.release(x, Layers.residualBlock(x, w, "transformer.resblocks." + i, c.heads(), mask, act));
      ActivationTap.tap(tap, "txt_block" + i, x);
    }
    x = Layers.layerNorm(x, w, "ln_final");
    ActivationTap.tap(tap, "txt_ln_final", x);
    // the end-of-text token has the largest id: its position is the argmax of each row
    NDArray rowStart = tokens.getManager().arange(0, b * t, t, DataType.INT64);
    NDArray eot = tokens.argMax(1).toType(DataType.INT64, false).add(rowStart);
    NDArray pooled = x.reshape(b * t, c.width()).get(eot);
    return pooled.matMul(w.get("text_projection"));
  }

  /** [T, T] additive mask: −inf above the diagonal, 0 elsewhere. */
  public static NDArray causalMask(NDManager manager, int t) {
    float[] m = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        m[i * t + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return manager.create(m, new Shape(t, t));
  }
}

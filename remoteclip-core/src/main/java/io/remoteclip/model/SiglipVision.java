package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * timm's SigLIP {@code VisionTransformer.forward} (as open_clip's {@code TimmModel} runs it, and Hugging Face's
 * {@code SiglipVisionTransformer}): patches → positions → pre-LN blocks → final LayerNorm → MAP head.
 */
final class SiglipVision {
  static final float LN_EPS = 1e-6f;
  private static final String P = "visual.trunk.";

  private SiglipVision() {}

  /** {@code pixels} [B, 3, S, S] normalised → features [B, width] (not normalised). */
  static NDArray forward(NDArray pixels, Weights w, SiglipVisionConfig c, Activation act, ActivationTap tap) {
    long b = pixels.getShape().get(0);
    NDArray x = Layers.conv2d(pixels, w.get(P + "patch_embed.proj.weight"), w.get(P + "patch_embed.proj.bias"),
        c.patchSize(), 0); // [B, W, g, g]
    NDArray tokens = x.reshape(b, c.width(), -1).transpose(0, 2, 1); // [B, g*g, W], grid row-major, no class token
    x = Layers.release(x, tokens.add(w.get(P + "pos_embed")));
    tokens.close();
    ActivationTap.tap(tap, "vis_embed", x);
    for (int i = 0; i < c.layers(); i++) {
      x = Layers.release(x, Layers.residualBlock(x, w, BlockKeys.timm(P + "blocks." + i), c.heads(), null, act,
          LN_EPS));
      ActivationTap.tap(tap, "vis_block" + i, x);
    }
    x = Layers.release(x, Layers.layerNorm(x, w, P + "norm", LN_EPS));
    ActivationTap.tap(tap, "vis_norm", x);
    return Layers.release(x, mapHead(x, w, c, act, tap));
  }

  /**
   * timm's {@code AttentionPoolLatent} (big_vision's MAPHead): the learned latent as the only query, keys and
   * values from the packed {@code kv} projection (k rows first), output projection, then y + mlp(norm(y)).
   */
  private static NDArray mapHead(NDArray x, Weights w, SiglipVisionConfig c, Activation act, ActivationTap tap) {
    long b = x.getShape().get(0);
    long width = c.width();
    String p = P + "attn_pool.";
    NDArray zeros = x.getManager().zeros(new Shape(b, 1, width), x.getDataType()); // results stay in the call's manager
    NDArray latent = Layers.release(zeros, zeros.add(w.get(p + "latent")));
    NDArray q = Layers.release(latent, Layers.linear(latent, w, p + "q")); // [B, 1, W]
    NDArray kv = Layers.linear(x, w, p + "kv"); // [B, T, 2W]
    NDArray k = kv.get(":, :, 0:{}", width);
    NDArray v = kv.get(":, :, {}:", width);
    kv.close();
    NDArray y = Layers.attend(q, k, v, c.heads(), null);
    q.close();
    k.close();
    v.close();
    y = Layers.release(y, Layers.linear(y, w, p + "proj")); // [B, 1, W]
    if (tap != null) {
      tap.accept("vis_attnpool_attn", y.reshape(b, width));
    }
    NDArray h = Layers.layerNorm(y, w, p + "norm", LN_EPS);
    h = Layers.release(h, Layers.mlp(h, w, p + "mlp.fc1", p + "mlp.fc2", act));
    NDArray out = Layers.release(h, y.add(h));
    y.close();
    return Layers.release(out, out.reshape(b, width)); // token 0 of the single latent
  }
}

package io.remoteclip.model;

import ai.djl.ndarray.NDArray;

/**
 * open_clip {@code ModifiedResNet}: three-conv stem with avg-pool, four stages of anti-aliased Bottleneck
 * blocks (avg-pool instead of strided convs), and an attention pool whose query is the mean token.
 */
public final class ModifiedResNet {
  private ModifiedResNet() {}

  /** {@code pixels} [B, 3, S, S] normalised → features [B, embed] (not normalised). */
  public static NDArray forward(NDArray pixels, Weights w, ResNetConfig c, ActivationTap tap) {
    NDArray x = pixels;
    for (int i = 1; i <= 3; i++) {
      NDArray conv = Layers.conv2d(x, w.get("visual.conv" + i + ".weight"), i == 1 ? 2 : 1, 1);
      if (x != pixels) {
        x.close();
      }
      x = convBnRelu(conv, w, "visual.bn" + i);
    }
    x = Layers.release(x, Layers.avgPool(x, 2));
    ActivationTap.tap(tap, "stem", x);
    int[] layers = c.layers();
    for (int stage = 0; stage < 4; stage++) {
      for (int block = 0; block < layers[stage]; block++) {
        int stride = stage > 0 && block == 0 ? 2 : 1;
        x = Layers.release(x, bottleneck(x, w, "visual.layer" + (stage + 1) + "." + block, stride));
      }
      ActivationTap.tap(tap, "layer" + (stage + 1), x);
    }
    NDArray out = Layers.release(x, attentionPool(x, w, c.heads()));
    ActivationTap.tap(tap, "attnpool", out);
    return out;
  }

  /** Block input {@code x} stays open (the caller owns it); every intermediate is freed once consumed. */
  static NDArray bottleneck(NDArray x, Weights w, String p, int stride) {
    NDArray out = convBnRelu(Layers.conv2d(x, w.get(p + ".conv1.weight"), 1, 0), w, p + ".bn1");
    out = convBnRelu(Layers.release(out, Layers.conv2d(out, w.get(p + ".conv2.weight"), 1, 1)), w, p + ".bn2");
    if (stride > 1) {
      out = Layers.release(out, Layers.avgPool(out, stride));
    }
    NDArray conv3 = Layers.release(out, Layers.conv2d(out, w.get(p + ".conv3.weight"), 1, 0));
    out = Layers.release(conv3, Layers.batchNorm(conv3, w, p + ".bn3"));
    NDArray identity = x;
    if (w.contains(p + ".downsample.0.weight")) {
      NDArray pooled = stride > 1 ? Layers.avgPool(x, stride) : x;
      NDArray conv = Layers.conv2d(pooled, w.get(p + ".downsample.0.weight"), 1, 0);
      if (pooled != x) {
        pooled.close();
      }
      identity = Layers.release(conv, Layers.batchNorm(conv, w, p + ".downsample.1"));
    }
    NDArray sum = Layers.release(out, out.add(identity));
    if (identity != x) {
      identity.close();
    }
    return Layers.release(sum, sum.getNDArrayInternal().relu());
  }

  /** BatchNorm then ReLU of a convolution output, which is freed. */
  private static NDArray convBnRelu(NDArray conv, Weights w, String bn) {
    NDArray normed = Layers.release(conv, Layers.batchNorm(conv, w, bn));
    return Layers.release(normed, normed.getNDArrayInternal().relu());
  }

  /** open_clip {@code AttentionPool2d}: [B, C, H, W] → [B, out]. */
  static NDArray attentionPool(NDArray x, Weights w, int heads) {
    long b = x.getShape().get(0);
    long ch = x.getShape().get(1);
    NDArray tokens = x.reshape(b, ch, -1).transpose(0, 2, 1); // [B, HW, C]
    tokens = tokens.mean(new int[] {1}, true).concat(tokens, 1).add(w.get("visual.attnpool.positional_embedding"));
    NDArray q = Layers.linear(tokens.get(":, 0:1, :"), w, "visual.attnpool.q_proj");
    NDArray k = Layers.linear(tokens, w, "visual.attnpool.k_proj");
    NDArray v = Layers.linear(tokens, w, "visual.attnpool.v_proj");
    NDArray pooled = Layers.attend(q, k, v, heads, null); // [B, 1, C]
    return Layers.linear(pooled.reshape(b, ch), w, "visual.attnpool.c_proj");
  }
}

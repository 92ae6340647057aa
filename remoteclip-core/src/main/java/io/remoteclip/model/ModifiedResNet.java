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
      NDArray next = convBnRelu(x, w, "visual.conv" + i, "visual.bn" + i, i == 1 ? 2 : 1, 1);
      if (x != pixels) {
        x.close();
      }
      x = next;
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
    NDArray out = convBnRelu(x, w, p + ".conv1", p + ".bn1", 1, 0);
    out = Layers.release(out, convBnRelu(out, w, p + ".conv2", p + ".bn2", 1, 1));
    if (stride > 1) {
      out = Layers.release(out, Layers.avgPool(out, stride));
    }
    out = Layers.release(out, convBn(out, w, p + ".conv3", p + ".bn3", 1, 0));
    NDArray identity = x;
    if (w.contains(p + ".downsample.0.weight")) {
      NDArray pooled = stride > 1 ? Layers.avgPool(x, stride) : x;
      identity = convBn(pooled, w, p + ".downsample.0", p + ".downsample.1", 1, 0);
      if (pooled != x) {
        pooled.close();
      }
    }
    NDArray sum = Layers.release(out, out.add(identity));
    if (identity != x) {
      identity.close();
    }
    return Layers.release(sum, sum.getNDArrayInternal().relu());
  }

  /** Convolution, BatchNorm, ReLU; {@code x} stays open. */
  private static NDArray convBnRelu(NDArray x, Weights w, String conv, String bn, int stride, int padding) {
    NDArray normed = convBn(x, w, conv, bn, stride, padding);
    return Layers.release(normed, normed.getNDArrayInternal().relu());
  }

  /**
   * Convolution then BatchNorm; {@code x} stays open. With running statistics (inference, or training with the
   * BatchNorm layers frozen) the normalisation is an affine map per output channel, folded into the
   * convolution's weights and bias for this call: a pass over the weights instead of one over the far larger
   * activations. Folding per call, not once at load, keeps it right while training updates those weights.
   */
  static NDArray convBn(NDArray x, Weights w, String conv, String bn, int stride, int padding) {
    NDArray weight = w.get(conv + ".weight");
    if (w.batchNormTraining()) {
      NDArray c = Layers.conv2d(x, weight, stride, padding);
      return Layers.release(c, Layers.batchNorm(c, w, bn));
    }
    try (NDArray std = w.get(bn + ".running_var").add(Layers.BN_EPS).sqrt();
        NDArray scale = w.get(bn + ".weight").div(std);
        NDArray shift = w.get(bn + ".running_mean").mul(scale);
        NDArray bias = w.get(bn + ".bias").sub(shift);
        NDArray perChannel = scale.reshape(-1, 1, 1, 1);
        NDArray folded = weight.mul(perChannel)) {
      return Layers.conv2d(x, folded, bias, stride, padding);
    }
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

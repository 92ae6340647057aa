package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** open_clip {@code VisionTransformer.forward}: patches → class token → pre-LN blocks → ln_post → proj. */
public final class VisionTransformer {
  private VisionTransformer() {}

  /** {@code pixels} [B, 3, S, S] normalised → features [B, embed] (not normalised). */
  public static NDArray forward(NDArray pixels, Weights w, VitConfig c, Activation act, ActivationTap tap) {
    long b = pixels.getShape().get(0);
    NDArray x = Layers.conv2d(pixels, w.get("visual.conv1.weight"), c.patchSize(), 0); // [B, W, g, g]
    x = x.reshape(b, c.width(), -1).transpose(0, 2, 1); // [B, g*g, W], grid row-major
    NDArray cls = x.getManager().zeros(new Shape(b, 1, c.width()), x.getDataType()).add(w.get("visual.class_embedding"));
    x = cls.concat(x, 1).add(w.get("visual.positional_embedding")); // [B, g*g + 1, W]
    x = Layers.layerNorm(x, w, "visual.ln_pre");
    ActivationTap.tap(tap, "vis_pre", x);
    for (int i = 0; i < c.layers(); i++) {
      x = Layers.release(x, Layers.residualBlock(x, w, "visual.transformer.resblocks." + i, c.heads(), null, act));
      ActivationTap.tap(tap, "vis_block" + i, x);
    }
    x = Layers.layerNorm(x.get(":, 0, :"), w, "visual.ln_post"); // [B, W]
    ActivationTap.tap(tap, "vis_ln_post", x);
    return x.matMul(w.get("visual.proj"));
  }
}

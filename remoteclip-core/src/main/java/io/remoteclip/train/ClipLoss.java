package io.remoteclip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.model.Layers;

/**
 * open_clip {@code ClipLoss} (single process): logits = exp(logit_scale) · norm(img) · norm(txt)ᵀ, loss =
 * (CE(logits, diag) + CE(logitsᵀ, diag)) / 2 with mean reduction.
 */
public final class ClipLoss {
  private ClipLoss() {}

  /** [B, B] logits per image (rows) from unnormalised features and the raw logit-scale parameter. */
  public static NDArray logitsPerImage(NDArray imageFeatures, NDArray textFeatures, NDArray logitScale) {
    NDArray img = normalize(imageFeatures);
    NDArray txt = normalize(textFeatures);
    // start from an array of the batch's manager so that temporaries never land in the weights' manager
    NDArray scale = img.getManager().zeros(new Shape()).add(logitScale.reshape(new Shape())).exp();
    return img.matMul(txt.transpose()).mul(scale);
  }

  public static NDArray loss(NDArray logitsPerImage) {
    long b = logitsPerImage.getShape().get(0);
    NDArray eye = logitsPerImage.getManager().eye((int) b);
    NDArray perImage = logitsPerImage.logSoftmax(1).mul(eye).sum().neg();
    NDArray perText = logitsPerImage.logSoftmax(0).mul(eye).sum().neg();
    return Layers.scale(perImage.add(perText), 0.5f / b);
  }

  public static NDArray normalize(NDArray x) {
    return x.div(x.norm(new int[] {1}, true));
  }
}

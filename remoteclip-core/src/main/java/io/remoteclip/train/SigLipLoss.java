package io.remoteclip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * open_clip {@code SigLipLoss} (single process, loss.py): logits = exp(logit_scale) · norm(img) · norm(txt)ᵀ +
 * logit_bias, labels = 2·I − 1 (+1 for a matching pair, −1 for every other), loss = −Σ logσ(labels · logits) / B.
 * Both parameters are learned; only logit_scale is clamped after a step (open_clip's train loop), the bias is not.
 */
public final class SigLipLoss {
  private SigLipLoss() {}

  /** [B, B] logits per image from unnormalised features and the raw (not exponentiated) scale and the bias. */
  public static NDArray logitsPerImage(NDArray imageFeatures, NDArray textFeatures, NDArray logitScale, NDArray logitBias) {
    NDManager m = imageFeatures.getManager();
    // start from arrays of the batch's manager so that temporaries never land in the weights' manager
    NDArray scale = m.zeros(new Shape()).add(logitScale.reshape(new Shape())).exp();
    NDArray bias = m.zeros(new Shape()).add(logitBias.reshape(new Shape()));
    return ClipLoss.normalize(imageFeatures).matMul(ClipLoss.normalize(textFeatures).transpose()).mul(scale).add(bias);
  }

  public static NDArray loss(NDArray logitsPerImage) {
    long b = logitsPerImage.getShape().get(0);
    NDArray labels = logitsPerImage.getManager().eye((int) b).mul(2).sub(1);
    NDArray z = labels.mul(logitsPerImage);
    // log σ(z) = min(z, 0) − log(1 + exp(−|z|)): finite for every z, unlike log(sigmoid(z)) at large |z|
    NDArray logSigmoid = z.minimum(0f).sub(z.abs().neg().exp().add(1f).log());
    return logSigmoid.sum().neg().div((float) b);
  }
}

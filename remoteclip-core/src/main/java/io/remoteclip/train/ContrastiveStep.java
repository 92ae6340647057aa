package io.remoteclip.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.remoteclip.model.ClipModel;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One optimisation step of the contrastive loss of the model's family (CLIP: softmax, SigLIP: sigmoid) on DJL autograd: micro-batch backward passes accumulate
 * gradients, then optional global-norm clipping, AdamW, and the logit-scale clamp to [0, ln 100] that
 * open_clip's train loop applies after every step.
 */
public final class ContrastiveStep {
  public static final float MAX_LOGIT_SCALE = (float) Math.log(100);

  private final ClipModel model;
  private final AdamW optimizer;
  private final Map<String, NDArray> trainable = new LinkedHashMap<>();
  private final double weightDecay;
  private final double clipNorm;
  private float lastLoss;

  public ContrastiveStep(ClipModel model, AdamW optimizer, Freeze freeze, double weightDecay, double clipNorm) {
    this.model = model;
    this.optimizer = optimizer;
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
      if (Weights.isTrainable(e.getKey(), e.getValue()) && freeze.trains(e.getKey())) {
        e.getValue().setRequiresGradient(true);
        trainable.put(e.getKey(), e.getValue());
      }
    }
    model.weights().setBatchNormTraining(freeze.trains("visual.bn1.weight"));
  }

  public Map<String, NDArray> trainable() {
    return trainable;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  /**
   * Forward and backward on one micro-batch; the loss is divided by {@code accumSteps} so that the summed
   * gradients are their mean. Returns the (undivided) loss.
   */
  public float accumulate(float[] pixels, long[][] tokens, int accumSteps) {
    int n = tokens.length;
    int s = model.imageSize();
    try (NDManager batch = model.manager().newSubManager()) {
      NDArray images = Weights.nativeCopy(batch.create(pixels, new Shape(n, 3, s, s)));
      NDArray text = Weights.nativeCopy(ClipModel.tokenArray(batch, tokens));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = loss(model.encodeImage(images, null), model.encodeText(text, null));
        lastLoss = loss.getFloat();
        gc.backward(accumSteps > 1 ? io.remoteclip.model.Layers.scale(loss, 1f / accumSteps) : loss);
      }
    }
    return lastLoss;
  }

  /** The family's loss: open_clip's ClipLoss (softmax) for CLIP, its SigLipLoss (sigmoid with a learned bias) for SigLIP. */
  private NDArray loss(NDArray imageFeatures, NDArray textFeatures) {
    NDArray scale = model.weights().get("logit_scale");
    if (model.family() == ModelFamily.SIGLIP) {
      return SigLipLoss.loss(SigLipLoss.logitsPerImage(imageFeatures, textFeatures, scale, model.weights().get("logit_bias")));
    }
    return ClipLoss.loss(ClipLoss.logitsPerImage(imageFeatures, textFeatures, scale));
  }

  /** Applies the accumulated gradients with learning rate {@code lr}, then clears them. */
  public void update(double lr) {
    try (NDManager scope = model.manager().newSubManager()) {
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
        NDArray g = e.getValue().getGradient();
        g.attach(scope);
        grads.put(e.getKey(), g);
      }
      if (clipNorm > 0) {
        clip(grads, scope);
      }
      optimizer.step(trainable, grads, lr, weightDecay);
      // in place: NDArray.set(Buffer) would rebind the parameter's storage to a Java-owned buffer
      NDArray scale = model.weights().get("logit_scale");
      float value = Weights.read(scale)[0];
      if (value < 0f || value > MAX_LOGIT_SCALE) {
        scale.muli(0f).addi(Math.max(0f, Math.min(MAX_LOGIT_SCALE, value)));
      }
      for (NDArray g : grads.values()) {
        g.subi(g);
      }
    }
  }

  /** False when a trainable parameter holds a NaN or an infinity (one reduction per parameter, on the engine). */
  public boolean parametersFinite() {
    try (NDManager scope = model.manager().newSubManager()) {
      for (NDArray p : trainable.values()) {
        NDArray sum = p.sum();
        sum.attach(scope);
        if (!Float.isFinite(sum.getFloat())) {
          return false;
        }
      }
    }
    return true;
  }

  /** The gradient of each trainable parameter as floats (tests and diagnostics). */
  public Map<String, float[]> gradients() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        out.put(e.getKey(), Weights.read(g));
      }
    }
    return out;
  }

  private void clip(Map<String, NDArray> grads, NDManager scope) {
    double total = 0;
    for (NDArray g : grads.values()) {
      try (NDArray sq = g.square(); NDArray sum = sq.sum()) {
        total += sum.getFloat();
      }
    }
    double norm = Math.sqrt(total);
    if (norm > clipNorm) {
      float factor = (float) (clipNorm / (norm + 1e-6));
      for (NDArray g : grads.values()) {
        g.muli(factor);
      }
    }
  }

  public float lastLoss() {
    return lastLoss;
  }
}

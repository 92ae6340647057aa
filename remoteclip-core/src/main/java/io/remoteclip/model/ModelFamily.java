package io.remoteclip.model;

import java.util.Locale;

/**
 * The two kinds of contrastive image-text model, which differ in their towers and in what their logits mean. A
 * CLIP's logits {@code exp(logit_scale)·cos} are trained with a softmax over the batch, so its label scores are a
 * softmax over the labels; a SigLIP's {@code exp(logit_scale)·cos + logit_bias} are trained as independent
 * binary decisions, so each label's score is its own sigmoid.
 */
public enum ModelFamily {
  /** OpenAI CLIP and open_clip's CLIP (RemoteCLIP, GeoRSCLIP, SkyCLIP, FarSLIP). */
  CLIP("softmax"),
  /** Sigmoid-loss CLIP (Google's SigLIP, Git-RSCLIP): no class token, MAP head, text pooled at the last position. */
  SIGLIP("sigmoid");

  private final String scores;

  ModelFamily(String scores) {
    this.scores = scores;
  }

  /** {@code softmax} (over the labels) or {@code sigmoid} (per label): how label probabilities are made. */
  public String scores() {
    return scores;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

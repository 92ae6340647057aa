package io.remoteclip.encode;

import io.remoteclip.model.ClipTowers;
import io.remoteclip.model.ModelFamily;

/**
 * A model's family and the factor it multiplies cosine similarities by in its zero-shot logits
 * ({@code exp(logit_scale)}; a SigLIP then adds its bias, which cancels in a softmax over labels).
 */
public record LogitScale(ModelFamily family, double factor) {
  /** What RS-TransCLIP uses for every CLIP: 100, the clamp CLIP's trained scale reaches. */
  public static final LogitScale CLIP = new LogitScale(ModelFamily.CLIP, 100.0);

  /** The scale of loaded towers: a SigLIP's {@code exp(logit_scale)}, {@link #CLIP} for a CLIP. */
  public static LogitScale of(ClipTowers towers) {
    return towers.family() == ModelFamily.SIGLIP ? new LogitScale(towers.family(), (float) Math.exp(towers.logitScale())) : CLIP;
  }
}

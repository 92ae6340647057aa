package io.remoteclip.eval.protocol;

import io.remoteclip.eval.transductive.TransClipOptions;

/**
 * Transductive zero-shot: the images of a zero-shot request classified jointly by the TransCLIP solver.
 *
 * @param zeroShot the images and class texts, as for plain zero-shot (which is reported next to it)
 * @param options the solver's settings ({@link TransClipOptions#reference()}: RS-TransCLIP's). When the request
 *     encodes, the evaluator's model replaces the text scale with its own ({@link
 *     io.remoteclip.encode.Encoder#logitScale()}); on embeddings it is used as given.
 */
public record TransductiveZeroShotRequest(ZeroShotRequest zeroShot, TransClipOptions options) implements EvalRequest {
  public static TransductiveZeroShotRequest of(ZeroShotRequest zeroShot) {
    return new TransductiveZeroShotRequest(zeroShot, TransClipOptions.reference());
  }

  /** On embeddings of a model whose logits multiply cosines by {@code textScale} (a SigLIP's exp(logit_scale)). */
  public static TransductiveZeroShotRequest of(ZeroShotRequest zeroShot, double textScale) {
    return new TransductiveZeroShotRequest(zeroShot, TransClipOptions.reference().withTextScale(textScale));
  }

  @Override
  public Protocol protocol() {
    return Protocol.ZEROSHOT_TRANSDUCTIVE;
  }

  @Override
  public boolean needsEncoder() {
    return zeroShot.needsEncoder();
  }
}

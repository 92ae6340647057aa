package io.remoteclip.eval.protocol;

import io.remoteclip.eval.CountingCaptions;
import io.remoteclip.eval.CountingItem;
import java.util.List;

/** RemoteCount-style counting: each item's image ranks its ten count captions. */
public record CountingRequest(List<CountingItem> items, Input input) implements EvalRequest {
  public CountingRequest {
    items = List.copyOf(items);
  }

  public sealed interface Input permits Embeddings, Captions {}

  /** One image row per item and [items × 10, D] caption rows (counts 1..10 within an item). */
  public record Embeddings(float[][] images, float[][] captions) implements Input {}

  /** The items' images and these captions, encoded by the evaluator. */
  public record Captions(CountingCaptions captions) implements Input {}

  @Override
  public Protocol protocol() {
    return Protocol.COUNTING;
  }

  @Override
  public boolean needsEncoder() {
    return input instanceof Captions;
  }
}

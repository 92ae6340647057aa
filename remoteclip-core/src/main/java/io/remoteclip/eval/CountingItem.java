package io.remoteclip.eval;

import java.nio.file.Path;

/**
 * One item of a RemoteCount-style benchmark: an image (or tile) holding {@code count} (1–10) instances
 * of {@code category}, whose plural form {@code plural} goes into the count captions.
 */
public record CountingItem(Path image, String category, String plural, int count) {
  public CountingItem {
    if (count < CountingCaptions.MIN_COUNT || count > CountingCaptions.MAX_COUNT) {
      throw new IllegalArgumentException("count=" + count + " (must be 1..10)");
    }
  }
}

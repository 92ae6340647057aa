package io.remoteclip.index;

import io.remoteclip.encode.ImageEncoding;
import java.util.List;
import java.util.Locale;

/**
 * What one indexing run did.
 *
 * @param added new files embedded
 * @param reembedded files whose content changed, embedded again
 * @param refreshed files whose size/time or labels changed but whose content (SHA-256) did not: stored
 *     fields updated, embedding kept
 * @param removed documents of files no longer under the root (or now unreadable)
 * @param unchanged files skipped (same size and modification time, same labels)
 * @param documents documents in the index after the run
 */
public record IndexSummary(int files, int added, int reembedded, int refreshed, int removed, int unchanged,
    List<ImageEncoding.Failure> failures, int documents, int commits, double seconds) {
  /** Images embedded per second of the whole run. */
  public double rate() {
    return seconds > 0 ? (added + reembedded) / seconds : 0;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "%d files: %d added, %d re-embedded, %d refreshed, %d removed, %d unchanged, %d unreadable; "
            + "%d documents, %d commits, %.1f s (%.1f images/s)",
        files, added, reembedded, refreshed, removed, unchanged, failures.size(), documents, commits, seconds, rate());
  }
}

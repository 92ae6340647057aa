package io.remoteclip;

/**
 * Receives progress of long work (encoding, indexing, training). The library never prints; the CLI
 * renders a progress line on stderr.
 */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** Work of {@code total} units starts; {@code total} is -1 when unknown. */
  default void start(String task, long total) {}

  /** {@code done} units are finished so far (cumulative). */
  default void update(long done) {}

  /** The task ended (successfully or not). */
  default void finish() {}
}

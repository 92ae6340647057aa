package io.remoteclip.index;

import io.remoteclip.RemoteClipException;
import java.nio.file.Path;

/**
 * A run would remove most (more than half) or all of an index's documents because their files are not among
 * the run's sources: far more often an unmounted or mistyped folder than a real mass deletion, so it needs the
 * caller's explicit consent ({@link ImageIndexer.Options#prune}).
 */
public final class PruneRefusedException extends RemoteClipException {
  private final int removing;

  private PruneRefusedException(Path index, int removing, int documents, Path source) {
    super(index + ": this run would remove " + removing + " of its " + documents + " documents (their files are not under "
        + source + "); nothing was changed");
    this.removing = removing;
  }

  /** How many documents the run would have removed. */
  public int removing() {
    return removing;
  }

  /** Throws unless removing {@code removing} of {@code documents} documents is allowed. */
  static void check(Path index, Path source, int removing, int documents, boolean prune) throws PruneRefusedException {
    boolean most = removing > 0 && (removing == documents || 2L * removing > documents);
    if (most && !prune) {
      throw new PruneRefusedException(index, removing, documents, source);
    }
  }
}

package io.remoteclip.index;

import io.remoteclip.RemoteClipException;

/** An index holds embeddings of one model; a run with another model is refused rather than mixing spaces. */
public final class ModelMismatchException extends RemoteClipException {
  public ModelMismatchException(String message) {
    super(message);
  }
}

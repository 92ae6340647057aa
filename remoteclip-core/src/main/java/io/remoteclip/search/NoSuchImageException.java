package io.remoteclip.search;

import io.remoteclip.RemoteClipException;

/** A document id the index does not hold (or whose image file is no longer there). */
public final class NoSuchImageException extends RemoteClipException {
  public NoSuchImageException(String message) {
    super(message);
  }
}

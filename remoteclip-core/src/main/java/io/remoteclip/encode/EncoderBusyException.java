package io.remoteclip.encode;

import io.remoteclip.RemoteClipException;

/** The model cannot take more work now (its queue is full, or it was not free in time): retry later. */
public final class EncoderBusyException extends RemoteClipException {
  public EncoderBusyException(String message) {
    super(message);
  }
}

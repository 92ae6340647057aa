package io.remoteclip.remote;

import java.io.IOException;

/** A remote read failed (refused, unreachable, cut short, a status other than 404); the message names the URI. */
public class RemoteIOException extends IOException {
  public RemoteIOException(String message) {
    super(message);
  }

  public RemoteIOException(String message, Throwable cause) {
    super(message, cause);
  }
}

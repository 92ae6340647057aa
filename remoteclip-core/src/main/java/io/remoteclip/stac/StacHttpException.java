package io.remoteclip.stac;

import java.io.IOException;
import java.net.URI;

/** A STAC server answered with an error status, or could not be reached; the message names the URL. */
public class StacHttpException extends IOException {
  private final URI uri;
  private final int status;

  public StacHttpException(URI uri, int status, String message) {
    super(message);
    this.uri = uri;
    this.status = status;
  }

  public StacHttpException(URI uri, String message, Throwable cause) {
    super(message, cause);
    this.uri = uri;
    this.status = -1;
  }

  public URI uri() {
    return uri;
  }

  /** The HTTP status, or -1 when no answer came. */
  public int status() {
    return status;
  }
}

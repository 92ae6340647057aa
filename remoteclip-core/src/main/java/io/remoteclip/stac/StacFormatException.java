package io.remoteclip.stac;

import io.remoteclip.DataFormatException;

/** A STAC document (or an API's answer) is not what STAC says it must be; the message names the document. */
public class StacFormatException extends DataFormatException {
  public StacFormatException(String message) {
    super(message);
  }

  public StacFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}

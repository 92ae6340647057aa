package io.remoteclip.remote;

import java.io.FileNotFoundException;

/** A remote object answered 404 (or 410): a missing input, as a missing file is; the message names the URI. */
public class RemoteNotFoundException extends FileNotFoundException {
  public RemoteNotFoundException(String message) {
    super(message);
  }
}

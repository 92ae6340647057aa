package io.remoteclip;

import java.io.IOException;

/** A well-formed file of a kind we deliberately do not read (TorchScript archive, unknown dtype...). */
public class UnsupportedFormatException extends IOException {
  public UnsupportedFormatException(String message) {
    super(message);
  }
}

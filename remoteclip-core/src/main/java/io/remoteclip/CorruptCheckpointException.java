package io.remoteclip;

import java.io.IOException;

/** A checkpoint file is truncated or its bytes contradict its own structure. */
public class CorruptCheckpointException extends IOException {
  public CorruptCheckpointException(String message) {
    super(message);
  }

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}

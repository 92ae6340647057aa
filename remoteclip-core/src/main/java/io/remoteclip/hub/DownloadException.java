package io.remoteclip.hub;

import java.io.IOException;

/**
 * A download failed: HTTP error, stalled or interrupted transfer after every retry, or a file whose
 * size or SHA-256 differs from the registry (then the bad file has been deleted). The message is one
 * line and names the URL.
 */
public class DownloadException extends IOException {
  public DownloadException(String message) {
    super(message);
  }

  public DownloadException(String message, Throwable cause) {
    super(message, cause);
  }
}

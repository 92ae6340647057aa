package io.remoteclip.hub;

/**
 * The server could not be reached at all (no route, unknown host, connection refused or connect
 * timeout): the situation where the user should fetch the file by hand.
 */
public class NetworkUnavailableException extends DownloadException {
  public NetworkUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

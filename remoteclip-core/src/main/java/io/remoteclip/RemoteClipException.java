package io.remoteclip;

/**
 * Checked base of every user-facing error: bad data, bad configuration, a model that cannot be found.
 *
 * <p>Messages are one line, name the file (and line or key where there is one) and say what is wrong;
 * the CLI prints them as they are.
 */
public class RemoteClipException extends Exception {
  public RemoteClipException(String message) {
    super(message);
  }

  public RemoteClipException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.remoteclip.hub;

/**
 * An environment variable or system property of the hub holds a value it cannot use (a mirror that is not
 * an http(s) URL, a timeout that is not a positive number). Unchecked because settings are read where no
 * checked exception is expected; distinct from {@link IllegalArgumentException}, which means a bug.
 */
public class InvalidSettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidSettingException(String message) {
    super(message);
  }
}

package io.remoteclip;

/** The weights do not describe a supported architecture, or a config file contradicts them. */
public class ModelConfigException extends RemoteClipException {
  public ModelConfigException(String message) {
    super(message);
  }

  public ModelConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

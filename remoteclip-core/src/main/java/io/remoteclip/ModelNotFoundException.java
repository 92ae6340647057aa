package io.remoteclip;

/** A model or vocabulary is neither a readable file nor available in the cache; says where it looked. */
public class ModelNotFoundException extends RemoteClipException {
  public ModelNotFoundException(String message) {
    super(message);
  }

  public ModelNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}

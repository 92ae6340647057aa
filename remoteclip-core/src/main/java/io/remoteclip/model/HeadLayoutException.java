package io.remoteclip.model;

import io.remoteclip.ModelConfigException;

/**
 * The attention head count of a tower cannot be derived from the tensor shapes (they do not hold it) and
 * no model config gives it. Its own type so that a front end can say how to supply that config.
 */
public class HeadLayoutException extends ModelConfigException {
  private static final long serialVersionUID = 1L;

  public HeadLayoutException(String message) {
    super(message);
  }
}

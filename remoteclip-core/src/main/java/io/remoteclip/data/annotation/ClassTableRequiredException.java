package io.remoteclip.data.annotation;

import io.remoteclip.DataFormatException;

/**
 * A reader that maps label values to names (semantic masks) was given no closed class table. Its own type so
 * that a front end can say how to give one.
 */
public class ClassTableRequiredException extends DataFormatException {
  private static final long serialVersionUID = 1L;

  public ClassTableRequiredException(String message) {
    super(message);
  }
}

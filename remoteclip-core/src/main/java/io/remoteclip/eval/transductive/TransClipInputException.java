package io.remoteclip.eval.transductive;

import io.remoteclip.DataFormatException;

/** The solver's inputs cannot be used; {@link #input()} says which, so that callers can name the file. */
public final class TransClipInputException extends DataFormatException {
  /** Which argument of the solver is at fault. */
  public enum Input { IMAGES, CLASSES }

  private final Input input;

  TransClipInputException(Input input, String message) {
    super(message);
    this.input = input;
  }

  public Input input() {
    return input;
  }
}

package io.remoteclip.data.annotation;

import java.nio.file.Path;

/**
 * A problem found in the input that did not stop the run: {@code file:line: message} and what was done
 * about it (object skipped, image skipped, value clipped).
 */
public record AnnotationIssue(Path file, int line, String message, Action action) {

  /** What the converter did with the faulty item. */
  public enum Action {
    SKIPPED_OBJECT("object skipped"),
    SKIPPED_IMAGE("image skipped"),
    SKIPPED_FILE("file skipped"),
    CORRECTED("corrected");

    private final String text;

    Action(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  @Override
  public String toString() {
    return (line > 0 ? file + ":" + line : String.valueOf(file)) + ": " + message + " (" + action.text() + ")";
  }
}

package io.remoteclip.fs;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * An output that would be replaced although the caller did not allow overwriting. Its own type so that a
 * front end can say how to allow it (the CLI: another {@code --out} or {@code --overwrite}).
 */
public class OutputExistsException extends FileAlreadyExistsException {
  private static final long serialVersionUID = 1L;

  /** {@code output} exists and may not be replaced. */
  public OutputExistsException(Path output) {
    super(output.toString(), null, "output directory exists");
  }
}

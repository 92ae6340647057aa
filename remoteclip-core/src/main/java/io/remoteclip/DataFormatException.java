package io.remoteclip;

/** An input file (annotations, captions, labels, arrays, images) is malformed; the message says where. */
public class DataFormatException extends RemoteClipException {
  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code file:line: problem}, the conventional compiler-style location. */
  public static DataFormatException at(Object file, int line, String problem) {
    return new DataFormatException(file + ":" + line + ": " + problem);
  }
}

package io.remoteclip;

/**
 * An embedding computed or streamed where no checked exception can pass (a model's output, an iterator over a
 * table) holds a NaN or an infinity; the message names the input and the row ({@link FiniteRows#problem}).
 * Unchecked so that the encoders' and iterators' signatures stay as they are; callers report it as bad data.
 */
public final class NonFiniteEmbeddingException extends RuntimeException {
  public NonFiniteEmbeddingException(String message) {
    super(message);
  }
}

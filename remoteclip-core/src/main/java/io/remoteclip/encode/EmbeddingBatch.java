package io.remoteclip.encode;

import io.remoteclip.RemoteClipException;
import java.io.IOException;
import java.util.List;

/**
 * One batch of an image stream ({@link ClipEncoder#embed}): the rows of the inputs that could be read and the
 * inputs that could not, each in input order. Together the batches of a stream cover every input once.
 *
 * @param <T> what the caller streamed in (an {@link io.remoteclip.image.ImageSource}, an index job, ...)
 */
public record EmbeddingBatch<T>(List<Row<T>> rows, List<Failure<T>> failures) {
  public EmbeddingBatch {
    rows = List.copyOf(rows);
    failures = List.copyOf(failures);
  }

  /**
   * An embedded input: its position in the stream (from 0), the decoded size and the raw image embedding
   * ({@code encode_image}, not normalised).
   */
  public record Row<T>(long index, T input, int width, int height, float[] embedding) {}

  /** An input that could not be decoded, with the one-line reason (starting with the input's name). */
  public record Failure<T>(long index, T input, String message) {}

  /** Receives the batches of a stream, one at a time, in order. */
  @FunctionalInterface
  public interface Sink<T> {
    void accept(EmbeddingBatch<T> batch) throws IOException, RemoteClipException;
  }
}

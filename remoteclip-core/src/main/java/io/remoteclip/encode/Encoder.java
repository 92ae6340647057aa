package io.remoteclip.encode;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam between a CLIP model and the evaluation protocols: turns images and texts into embedding
 * rows, in input order. Rows are the raw projections ({@code encode_image} / {@code encode_text}), not
 * necessarily normalised — protocols normalise where the reference does (the average-first prompt
 * ensemble needs the raw text embeddings).
 */
public interface Encoder {
  /**
   * Identifies everything that decides the rows; for a {@link ClipEncoder} the string form of its
   * {@link EncoderId} (weights, activation, precision, preprocessing, bands, vocabulary). Cached embeddings
   * are only reused for the same id.
   */
  String modelId();

  /**
   * The family of the model and exp(logit_scale), the factor of its zero-shot logits: protocols that turn
   * cosines into a distribution over labels (transductive zero-shot) use a SigLIP's own scale. An encoder that
   * does not know its model answers CLIP and 100.
   */
  default LogitScale logitScale() {
    return LogitScale.CLIP;
  }

  /** One row per image [images, D]. */
  float[][] encodeImages(List<Path> images, ProgressListener progress) throws IOException, RemoteClipException;

  /** One row per text [texts, D]; texts are encoded as given (callers apply capitalisation etc.). */
  float[][] encodeTexts(List<String> texts, ProgressListener progress) throws IOException, RemoteClipException;
}

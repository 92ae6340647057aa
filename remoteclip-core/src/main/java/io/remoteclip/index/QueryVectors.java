package io.remoteclip.index;

import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.vector.Vectors;
import java.util.List;

/** Query embeddings for an index: L2-normalised text or image features of the index's model. */
public final class QueryVectors {
  private QueryVectors() {}

  public static float[] text(ClipEncoder encoder, String query) {
    return Vectors.normalized(encoder.encodeTexts(List.of(query))[0]);
  }

  public static float[] image(ClipEncoder encoder, DecodedImage image) {
    return Vectors.normalized(encoder.encodePixels(List.of(encoder.preprocess(image)))[0]);
  }
}

package io.remoteclip.index;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an index records about the model that made it, in every Lucene commit's user data: the model identity
 * (weights checksum or path+size+mtime, plus activation), the embedding dimension, and how to load the model
 * again ({@code modelRef}/{@code vocab}, so {@code search} and {@code serve} need no {@code --model}).
 */
public record IndexMetadata(String modelId, int dimension, String modelRef, String vocab) {
  static final String FORMAT = "remoteclip.index.format";
  static final String FORMAT_VERSION = "1";
  static final String MODEL_ID = "remoteclip.model.id";
  static final String DIMENSION = "remoteclip.model.dimension";
  static final String MODEL_REF = "remoteclip.model.ref";
  static final String VOCAB = "remoteclip.model.vocab";

  Map<String, String> toUserData() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FORMAT, FORMAT_VERSION);
    m.put(MODEL_ID, modelId);
    m.put(DIMENSION, Integer.toString(dimension));
    if (modelRef != null) {
      m.put(MODEL_REF, modelRef);
    }
    if (vocab != null) {
      m.put(VOCAB, vocab);
    }
    return m;
  }

  /** The metadata of a commit, or null for a commit that has none (a foreign Lucene index). */
  static IndexMetadata fromUserData(Map<String, String> m) {
    String id = m.get(MODEL_ID);
    if (id == null) {
      return null;
    }
    return new IndexMetadata(id, Integer.parseInt(m.getOrDefault(DIMENSION, "0")), m.get(MODEL_REF), m.get(VOCAB));
  }
}

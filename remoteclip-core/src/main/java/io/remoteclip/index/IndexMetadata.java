package io.remoteclip.index;

import io.remoteclip.DataFormatException;
import io.remoteclip.encode.EncoderId;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an index records about the model that made it, in every Lucene commit's user data: the model identity
 * (for indexes made by {@link ImageIndexer} the {@link EncoderId}'s string form: weights, activation, precision,
 * preprocessing, bands, vocabulary; any string for indexes filled from embeddings), the embedding dimension, how to load the model
 * again ({@code modelRef}/{@code vocab}, so search and serve need not be told), and the folder the documents'
 * relative paths are relative to ({@code root}; null for an index filled from embeddings alone).
 *
 * <p>Format 2 keys documents by path relative to {@code root}; format 1 (absolute paths) is not read.
 */
public record IndexMetadata(String modelId, int dimension, String modelRef, String vocab, String root) {
  /** The only index format this version reads and writes. */
  public static final int FORMAT_VERSION = 2;
  static final String FORMAT = "remoteclip.index.format";
  static final String MODEL_ID = "remoteclip.model.id";
  static final String DIMENSION = "remoteclip.model.dimension";
  static final String MODEL_REF = "remoteclip.model.ref";
  static final String VOCAB = "remoteclip.model.vocab";
  static final String ROOT = "remoteclip.index.root";

  public IndexMetadata {
    if (modelId == null || modelId.isBlank()) {
      throw new IllegalArgumentException("an index needs a model id");
    }
    if (dimension <= 0) {
      throw new IllegalArgumentException("embedding dimension " + dimension + " (must be positive)");
    }
  }

  /** Metadata for an index of {@code dimension}-wide embeddings of model {@code modelId}, without a root. */
  public static IndexMetadata of(String modelId, int dimension) {
    return new IndexMetadata(modelId, dimension, null, null, null);
  }

  public IndexMetadata withRoot(Path absoluteRoot) {
    return new IndexMetadata(modelId, dimension, modelRef, vocab, absoluteRoot == null ? null : absoluteRoot.toString());
  }

  public IndexMetadata withModelRef(String ref, String vocabRef) {
    return new IndexMetadata(modelId, dimension, ref, vocabRef, root);
  }

  /** The identity of the encoder that made the index, or null when its model id is not an {@link EncoderId}. */
  public EncoderId encoderId() {
    return EncoderId.isEncoderId(modelId) ? EncoderId.parse(modelId) : null;
  }

  /**
   * Whether rows of model {@code otherModelId} belong in this index: the same id, or, for an index whose id
   * predates encoder ids ({@code weights#activation}), an encoder id with those weights, activation and precision.
   */
  public boolean accepts(String otherModelId) {
    if (modelId.equals(otherModelId)) {
      return true;
    }
    return encoderId() == null && EncoderId.isEncoderId(otherModelId)
        && modelId.equals(EncoderId.parse(otherModelId).legacyModelId());
  }

  /**
   * Refuses another model in one line naming both identities and, for encoder ids, what differs
   * ({@code where} starts the message: the index directory).
   */
  public void check(Object where, String otherModelId) throws ModelMismatchException {
    if (accepts(otherModelId)) {
      return;
    }
    EncoderId mine = encoderId();
    String what = mine != null && EncoderId.isEncoderId(otherModelId)
        ? " (" + String.join("; ", mine.differences(EncoderId.parse(otherModelId))) + ")" : "";
    throw new ModelMismatchException(where + ": index was built with encoder " + modelId
        + (modelRef != null ? " (" + modelRef + ")" : "") + ", this run uses " + otherModelId + what
        + "; embeddings of different encoders cannot be mixed: use the index's model and settings or a new index directory");
  }

  Map<String, String> toUserData() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FORMAT, Integer.toString(FORMAT_VERSION));
    m.put(MODEL_ID, modelId);
    m.put(DIMENSION, Integer.toString(dimension));
    if (modelRef != null) {
      m.put(MODEL_REF, modelRef);
    }
    if (vocab != null) {
      m.put(VOCAB, vocab);
    }
    if (root != null) {
      m.put(ROOT, root);
    }
    return m;
  }

  /**
   * The metadata of a commit of the index in {@code dir}: refused when the commit has none (a foreign Lucene
   * index) or is of a format this version does not read.
   */
  static IndexMetadata fromUserData(Path dir, Map<String, String> m) throws DataFormatException {
    String id = m.get(MODEL_ID);
    if (id == null) {
      throw new DataFormatException(dir + ": a Lucene index without remoteclip metadata (not an image index)");
    }
    String format = m.getOrDefault(FORMAT, "1");
    if (!format.equals(Integer.toString(FORMAT_VERSION))) {
      throw new DataFormatException(dir + ": index format " + format + "; this version reads " + FORMAT_VERSION
          + (format.equals("1") ? " (format 1 keyed images by absolute path: build the index again in a new directory)" : ""));
    }
    try {
      return new IndexMetadata(id, Integer.parseInt(m.getOrDefault(DIMENSION, "0")), m.get(MODEL_REF), m.get(VOCAB), m.get(ROOT));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(dir + ": bad index metadata (" + e.getMessage() + ")");
    }
  }
}

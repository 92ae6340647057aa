package io.remoteclip.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;

/**
 * The {@code remoteclip} footer key: which model made the embeddings and how to load it again, their width and
 * normalisation, and for tables of scene windows the window grid. A table that carries it can be searched by
 * text (its model is loadable); a third-party table has none and is searched by example.
 *
 * @param modelId the encoder identity ({@code EncoderId} form)
 * @param modelRef registry name or absolute path of the model, null when unknown
 * @param vocab absolute path of the vocabulary, null for the model's own
 * @param dimension values per embedding
 * @param normalized whether rows are L2-normalised
 * @param window window side in pixels for tables of scene windows, 0 for whole images
 * @param stride step between windows in pixels, 0 for whole images
 */
public record TableMetadata(String modelId, String modelRef, String vocab, int dimension, boolean normalized, int window,
    int stride) {
  /** The footer key. */
  public static final String KEY = "remoteclip";
  static final int FORMAT = 1;

  public TableMetadata {
    if (modelId == null || modelId.isBlank() || dimension <= 0) {
      throw new IllegalArgumentException("a table needs a model id and a positive dimension");
    }
  }

  /** A table of whole images. */
  public static TableMetadata of(String modelId, String modelRef, String vocab, int dimension, boolean normalized) {
    return new TableMetadata(modelId, modelRef, vocab, dimension, normalized, 0, 0);
  }

  /** The same table of windows of {@code window} pixels every {@code stride}. */
  public TableMetadata withWindows(int window, int stride) {
    return new TableMetadata(modelId, modelRef, vocab, dimension, normalized, window, stride);
  }

  public boolean windows() {
    return window > 0;
  }

  public String toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("format", FORMAT);
    o.put("model_id", modelId);
    if (modelRef != null) {
      o.put("model_ref", modelRef);
    }
    if (vocab != null) {
      o.put("vocab", vocab);
    }
    o.put("dimension", dimension);
    o.put("normalized", normalized);
    if (window > 0) {
      o.put("window", window);
      o.put("stride", stride);
    }
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TableMetadata parse(String file, String json) throws DataFormatException {
    try {
      JsonNode o = Json.mapper().readTree(json);
      return new TableMetadata(o.path("model_id").asText(null), o.path("model_ref").asText(null),
          o.path("vocab").asText(null), o.path("dimension").asInt(0), o.path("normalized").asBoolean(false),
          o.path("window").asInt(0), o.path("stride").asInt(0));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new DataFormatException(file + ": bad '" + KEY + "' footer metadata (" + e.getMessage() + ")");
    }
  }
}

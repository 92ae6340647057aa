package io.remoteclip.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import io.remoteclip.ModelNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A transformers {@code tokenizer_config.json}: the special tokens and the row length it sets. */
final class TokenizerConfig {
  static final String FILE_NAME = "tokenizer_config.json";

  private final JsonNode json;
  private final Path file;

  private TokenizerConfig(JsonNode json, Path file) {
    this.json = json;
    this.file = file;
  }

  static TokenizerConfig read(Path file) throws ModelNotFoundException, DataFormatException {
    if (!Files.isRegularFile(file)) {
      throw new ModelNotFoundException(file + ": tokenizer config not found");
    }
    try {
      JsonNode n = Json.mapper().readTree(file.toFile());
      if (n == null || !n.isObject()) {
        throw new DataFormatException(file + ": not a JSON object");
      }
      return new TokenizerConfig(n, file);
    } catch (IOException e) {
      throw new DataFormatException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The config beside {@code file} (same folder), or null when there is none. */
  static TokenizerConfig besides(Path file) throws ModelNotFoundException, DataFormatException {
    Path parent = file.toAbsolutePath().getParent();
    Path config = parent == null ? Path.of(FILE_NAME) : parent.resolve(FILE_NAME);
    return Files.isRegularFile(config) ? read(config) : null;
  }

  Path file() {
    return file;
  }

  JsonNode json() {
    return json;
  }

  /** A special token's text ({@code "eos_token": "</s>"} or {@code {"content": "</s>"}}), or {@code fallback}. */
  static String token(TokenizerConfig config, String field, String fallback) throws DataFormatException {
    if (config == null || !config.json.has(field) || config.json.get(field).isNull()) {
      return fallback;
    }
    JsonNode n = config.json.get(field);
    String name = n.isObject() ? n.path("content").asText("") : n.asText("");
    if (name.isEmpty()) {
      throw new DataFormatException(config.file + ": " + field + " is empty");
    }
    return name;
  }

  /** {@code model_max_length} where it is a usable row length, else {@code fallback}. */
  static int maxLength(TokenizerConfig config, int fallback) {
    if (config != null && config.json.path("model_max_length").canConvertToInt()) {
      int max = config.json.get("model_max_length").asInt();
      if (max >= 2 && max <= ClipTokenizer.MAX_CONTEXT_LENGTH) {
        return max;
      }
    }
    return fallback;
  }
}

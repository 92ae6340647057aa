package io.remoteclip.eval;

import io.remoteclip.fs.InputFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code items.jsonl}: one JSON object per line,
 * {@code {"image": "...", "category": "...", "plural": "...", "count": N}} with N in 1..10; image paths
 * are relative to the file's folder.
 */
public final class CountingItems {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CountingItems() {}

  public static List<CountingItem> load(Path jsonl) throws IOException, DataFormatException {
    Path dir = jsonl.toAbsolutePath().getParent();
    List<String> lines = InputFiles.readLines(jsonl);
    List<CountingItem> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      JsonNode n;
      try {
        n = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw DataFormatException.at(jsonl, i + 1, "invalid JSON: " + e.getOriginalMessage());
      }
      if (n == null || !n.isObject()) {
        throw DataFormatException.at(jsonl, i + 1, "expected a JSON object");
      }
      String image = text(n, "image", jsonl, i + 1);
      String category = text(n, "category", jsonl, i + 1);
      String plural = n.hasNonNull("plural") ? text(n, "plural", jsonl, i + 1) : category;
      JsonNode c = n.get("count");
      if (c == null || !c.canConvertToExactIntegral() || c.asInt() < 1 || c.asInt() > 10) {
        throw DataFormatException.at(jsonl, i + 1, "\"count\" must be an integer 1..10, got " + c);
      }
      out.add(new CountingItem(dir.resolve(image), category, plural, c.asInt()));
    }
    if (out.isEmpty()) {
      throw new DataFormatException(jsonl + ": no items");
    }
    return out;
  }

  private static String text(JsonNode n, String key, Path file, int line) throws DataFormatException {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw DataFormatException.at(file, line, "missing string \"" + key + "\"");
    }
    return v.asText();
  }
}

package io.remoteclip.dataset;

import io.remoteclip.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Karpathy-style caption JSON ({@code dataset_rsicd.json}, {@code dataset_ucm.json}):
 * {@code {"images": [{"filename", "split", "sentences": [{"raw"}], "filepath"?}]}}. Image paths are
 * {@code imageRoot/[filepath/]filename}; the default image root is the {@code images/} folder next to the
 * JSON file, or the JSON's own folder when there is none.
 */
public final class KarpathyCaptions {
  private static final ObjectMapper MAPPER = Json.mapper();

  private KarpathyCaptions() {}

  public static CaptionDataset load(Path json) throws IOException, DataFormatException {
    Path dir = json.toAbsolutePath().getParent();
    Path images = dir.resolve("images");
    return load(json, Files.isDirectory(images) ? images : dir);
  }

  public static CaptionDataset load(Path json, Path imageRoot) throws IOException, DataFormatException {
    List<CaptionedImage> out = new ArrayList<>();
    boolean sawImages = false;
    try (JsonParser p = new JsonFactory(MAPPER).createParser(json.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw DataFormatException.at(json, line(p), "expected a JSON object with an \"images\" array");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("images")) {
          p.skipChildren();
          continue;
        }
        if (value != JsonToken.START_ARRAY) {
          throw DataFormatException.at(json, line(p), "\"images\" must be an array");
        }
        sawImages = true;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          int line = line(p);
          JsonNode node = p.readValueAsTree();
          out.add(image(node, json, line, imageRoot));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
          throw DataFormatException.at(json, line(p), "\"images\" entries must be objects");
        }
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw DataFormatException.at(json, line, "invalid JSON: " + e.getOriginalMessage());
    }
    if (!sawImages) {
      throw DataFormatException.at(json, 1, "no \"images\" array");
    }
    return new CaptionDataset(out);
  }

  private static CaptionedImage image(JsonNode n, Path json, int line, Path root) throws DataFormatException {
    String filename = text(n, "filename", json, line);
    String split = text(n, "split", json, line);
    JsonNode sentences = n.get("sentences");
    if (sentences == null || !sentences.isArray()) {
      throw DataFormatException.at(json, line, "image \"" + filename + "\": missing \"sentences\" array");
    }
    List<String> captions = new ArrayList<>();
    for (JsonNode s : sentences) {
      JsonNode raw = s.get("raw");
      if (raw == null || !raw.isTextual()) {
        throw DataFormatException.at(json, line, "image \"" + filename + "\": sentence without a \"raw\" string");
      }
      captions.add(raw.asText());
    }
    JsonNode fp = n.get("filepath");
    Path path = fp != null && fp.isTextual() && !fp.asText().isEmpty()
        ? root.resolve(fp.asText()).resolve(filename) : root.resolve(filename);
    return new CaptionedImage(filename, path, split, captions);
  }

  private static String text(JsonNode n, String key, Path json, int line) throws DataFormatException {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw DataFormatException.at(json, line, "image record without a \"" + key + "\" string");
    }
    return v.asText();
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }
}

package io.remoteclip.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Line numbers for YAML/JSON mapping errors. */
public final class YamlErrors {
  private YamlErrors() {}

  /**
   * Rejects top-level keys of a YAML/JSON mapping file outside {@code allowed}, naming the key's line (the
   * object mapper reports records' unknown keys only at the end of the document).
   */
  public static void checkTopLevelKeys(java.nio.file.Path file, java.util.Set<String> allowed)
      throws java.io.IOException, io.remoteclip.DataFormatException {
    try (JsonParser p = new com.fasterxml.jackson.dataformat.yaml.YAMLFactory().createParser(file.toFile())) {
      int depth = 0;
      for (var t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        } else if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && depth == 1 && !allowed.contains(p.currentName())) {
          throw io.remoteclip.DataFormatException.at(file, p.currentTokenLocation().getLineNr(),
              "unknown key '" + p.currentName() + "' (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
      }
    } catch (JsonProcessingException e) {
      throw io.remoteclip.DataFormatException.at(file, line(e), "malformed YAML: " + e.getOriginalMessage());
    }
  }

  /**
   * The line of the token that caused {@code e} (the YAML parser's own location is already past it), or 0.
   */
  public static int line(JsonProcessingException e) {
    JsonLocation loc = null;
    if (e.getProcessor() instanceof JsonParser p) {
      loc = p.currentTokenLocation();
    }
    if (loc == null || loc.getLineNr() <= 0) {
      loc = e.getLocation();
    }
    return loc == null ? 0 : Math.max(0, loc.getLineNr());
  }
}

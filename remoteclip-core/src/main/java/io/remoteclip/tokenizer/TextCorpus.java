package io.remoteclip.tokenizer;

import io.remoteclip.fs.InputFiles;
import java.io.CharConversionException;
import io.remoteclip.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads texts for tokenizing and vocabulary training from the caption files the project meets: plain text
 * (one text per line), open_clip's {@code captions.csv} (tab-separated with a {@code filepath<TAB>title}
 * header; the {@code title} column is the text) and Karpathy-style JSON ({@code images[].sentences[].raw}).
 */
public final class TextCorpus {
  private TextCorpus() {}

  /**
   * The lines of a UTF-8 text file, one text per line: a leading BOM is dropped, {@code \r\n} and {@code \n}
   * both end a line, a final line break does not start another text, and empty lines are kept (as empty
   * texts) so that text i is line i + 1.
   *
   * @throws DataFormatException if the file is not valid UTF-8 (the message gives the line)
   */
  public static List<String> lines(Path file) throws DataFormatException, IOException {
    String text;
    try {
      text = InputFiles.readText(file);
    } catch (CharConversionException e) {
      throw new DataFormatException(e.getMessage(), e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      out.add(text.substring(start, contentEnd));
      start = nl < 0 ? text.length() : nl + 1;
    }
    return out;
  }

  /**
   * Captions from a file whose kind is recognised from its content: JSON (starts with '{') → every {@code
   * raw} sentence of every image whose {@code split} is {@code split} (all when null); a first line of {@code
   * filepath<TAB>title} → the title column; otherwise the non-empty lines.
   */
  public static List<String> captions(Path file, String split) throws DataFormatException, IOException {
    byte[] head = new byte[64];
    int n;
    try (InputStream in = Files.newInputStream(InputFiles.requireRegular(file))) {
      n = in.readNBytes(head, 0, head.length);
    }
    String start = new String(head, 0, n, StandardCharsets.UTF_8).replace("\uFEFF", "").stripLeading();
    if (start.startsWith("{")) {
      return karpathy(file, split);
    }
    List<String> lines = lines(file);
    List<String> out = new ArrayList<>();
    if (!lines.isEmpty() && lines.get(0).contains("\t")) {
      String[] header = lines.get(0).split("\t", -1);
      int col = List.of(header).indexOf("title");
      if (col < 0) {
        throw DataFormatException.at(file, 1, "tab-separated header without a 'title' column: " + lines.get(0));
      }
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).isEmpty()) {
          continue;
        }
        String[] cells = lines.get(i).split("\t", -1);
        if (cells.length != header.length) {
          throw DataFormatException.at(file, i + 1, "expected " + header.length + " tab-separated columns, got " + cells.length);
        }
        out.add(cells[col]);
      }
      return out;
    }
    for (String line : lines) {
      if (!line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }

  private static List<String> karpathy(Path file, String split) throws DataFormatException, IOException {
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DataFormatException(file + ": invalid JSON at line " + e.getLocation().getLineNr() + ": "
          + e.getOriginalMessage());
    }
    JsonNode images = root.get("images");
    if (images == null || !images.isArray()) {
      throw new DataFormatException(file + ": not a Karpathy-style caption file (no \"images\" array)");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode image : images) {
      if (split != null && !split.equals(image.path("split").asText())) {
        continue;
      }
      for (JsonNode s : image.path("sentences")) {
        JsonNode raw = s.get("raw");
        if (raw == null || !raw.isTextual()) {
          throw new DataFormatException(file + ": image " + image.path("filename").asText("?")
              + " has a sentence without a \"raw\" text");
        }
        out.add(raw.asText());
      }
    }
    return out;
  }
}

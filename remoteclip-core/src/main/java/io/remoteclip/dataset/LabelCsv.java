package io.remoteclip.dataset;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code filename,label[,split]} files. A first line whose second field is {@code label} or
 * {@code class} is a header. Paths are relative to an image root (see {@link #load(Path)}); classes are the distinct labels in
 * sorted order (so they match the folder order of {@link ImageFolders}). Fields may be double-quoted.
 */
public final class LabelCsv {
  private LabelCsv() {}

  /**
   * Paths relative to the CSV's folder, or to its {@code images/} sub-folder when the first listed file
   * is found there and not next to the CSV (the layout of {@code ucm-captions/labels.csv}).
   */
  public static ClassificationDataset load(Path csv) throws IOException, DataFormatException {
    Path dir = csv.toAbsolutePath().getParent();
    ClassificationDataset d = load(csv, dir);
    Path first = dir.relativize(d.images().get(0));
    Path images = dir.resolve("images");
    if (!Files.exists(d.images().get(0)) && Files.exists(images.resolve(first))) {
      return load(csv, images);
    }
    return d;
  }

  public static ClassificationDataset load(Path csv, Path imageRoot) throws IOException, DataFormatException {
    List<String> lines = InputFiles.readLines(csv);
    List<Path> images = new ArrayList<>();
    List<String> labelNames = new ArrayList<>();
    List<String> splits = new ArrayList<>();
    int columns = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = i == 0 ? stripBom(lines.get(i)) : lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      List<String> f = splitCsv(line, csv, i + 1);
      if (f.size() < 2 || f.size() > 3) {
        throw DataFormatException.at(csv, i + 1, "expected filename,label[,split], got " + f.size() + " fields");
      }
      if (images.isEmpty() && columns < 0 && isHeader(f)) {
        columns = f.size();
        continue;
      }
      if (columns < 0) {
        columns = f.size();
      } else if (f.size() != columns) {
        throw DataFormatException.at(csv, i + 1, "expected " + columns + " fields like the lines before, got " + f.size());
      }
      if (f.get(0).isEmpty() || f.get(1).isEmpty()) {
        throw DataFormatException.at(csv, i + 1, "empty filename or label");
      }
      images.add(imageRoot.resolve(f.get(0)));
      labelNames.add(f.get(1));
      if (f.size() == 3) {
        splits.add(f.get(2));
      }
    }
    if (images.isEmpty()) {
      throw new DataFormatException(csv + ": no rows");
    }
    Map<String, Integer> index = new TreeMap<>();
    labelNames.forEach(l -> index.put(l, 0));
    int k = 0;
    for (Map.Entry<String, Integer> e : index.entrySet()) {
      e.setValue(k++);
    }
    int[] labels = labelNames.stream().mapToInt(index::get).toArray();
    return new ClassificationDataset(images, labels, new ArrayList<>(index.keySet()), columns == 3 ? splits : null);
  }

  private static boolean isHeader(List<String> f) {
    String second = f.get(1).trim().toLowerCase(java.util.Locale.ROOT);
    return second.equals("label") || second.equals("class") || second.equals("category");
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /** Splits one CSV record (RFC 4180 quoting, no embedded newlines). */
  static List<String> splitCsv(String line, Path file, int lineNo) throws DataFormatException {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw DataFormatException.at(file, lineNo, "unterminated quoted field");
    }
    out.add(cur.toString().trim());
    return out;
  }
}

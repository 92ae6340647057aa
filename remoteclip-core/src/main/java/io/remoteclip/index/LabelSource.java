package io.remoteclip.index;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where an image's labels come from: its folder name (relative to the indexed root) and/or a CSV file.
 *
 * <p>The CSV has a header naming a file column ({@code filename}, {@code file} or {@code path}) and a label
 * column ({@code class}, {@code label} or {@code labels}); several labels in one cell are separated by
 * {@code ;}. Without either option ({@link #NONE}) re-runs keep the labels already stored. File names are matched as paths relative to the root ({@code a/b.jpg}) and, failing that, by
 * bare file name ({@code b.jpg}), so {@code ucm-captions/labels.csv} works as it is.
 */
public final class LabelSource {
  public static final LabelSource NONE = new LabelSource(false, Map.of());

  private final boolean fromFolder;
  private final Map<String, List<String>> table;

  private LabelSource(boolean fromFolder, Map<String, List<String>> table) {
    this.fromFolder = fromFolder;
    this.table = table;
  }

  public static LabelSource of(boolean fromFolder, Path csv) throws IOException, DataFormatException {
    if (!fromFolder && csv == null) {
      return NONE;
    }
    return new LabelSource(fromFolder, csv == null ? Map.of() : readCsv(csv));
  }

  /** False for {@link #NONE}: a run without label options keeps the labels already stored. */
  public boolean specified() {
    return fromFolder || !table.isEmpty();
  }

  /** Labels of {@code file} under {@code root}, without duplicates, in a stable order. */
  public List<String> labelsOf(Path root, Path file) {
    Set<String> out = new LinkedHashSet<>();
    Path rel = root.relativize(file);
    if (fromFolder && rel.getParent() != null) {
      out.add(rel.getParent().toString().replace('\\', '/'));
    }
    List<String> byPath = table.get(rel.toString().replace('\\', '/'));
    if (byPath == null) {
      byPath = table.get(file.getFileName().toString());
    }
    if (byPath != null) {
      out.addAll(byPath);
    }
    return new ArrayList<>(out);
  }

  private static Map<String, List<String>> readCsv(Path csv) throws IOException, DataFormatException {
    List<String> lines = InputFiles.readLines(csv);
    if (lines.isEmpty()) {
      throw DataFormatException.at(csv, 1, "empty file (expected a header such as 'filename,class')");
    }
    String[] header = lines.get(0).replace("\uFEFF", "").split(",", -1);
    int fileCol = -1;
    int labelCol = -1;
    for (int i = 0; i < header.length; i++) {
      String h = header[i].trim().toLowerCase(Locale.ROOT);
      if (fileCol < 0 && (h.equals("filename") || h.equals("file") || h.equals("path"))) {
        fileCol = i;
      } else if (labelCol < 0 && (h.equals("class") || h.equals("label") || h.equals("labels"))) {
        labelCol = i;
      }
    }
    if (fileCol < 0 || labelCol < 0) {
      throw DataFormatException.at(csv, 1, "header '" + lines.get(0) + "' needs a filename/file/path and a class/label/labels column");
    }
    Map<String, List<String>> out = new HashMap<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != header.length) {
        throw DataFormatException.at(csv, n + 1, cells.length + " columns, the header has " + header.length);
      }
      String file = cells[fileCol].trim();
      List<String> labels = new ArrayList<>();
      for (String l : cells[labelCol].split(";")) {
        if (!l.isBlank()) {
          labels.add(l.trim());
        }
      }
      if (file.isEmpty()) {
        throw DataFormatException.at(csv, n + 1, "empty file name");
      }
      out.computeIfAbsent(file, k -> new ArrayList<>()).addAll(labels);
    }
    return out;
  }
}

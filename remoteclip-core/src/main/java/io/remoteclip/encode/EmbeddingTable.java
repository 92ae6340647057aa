package io.remoteclip.encode;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import io.remoteclip.FiniteRows;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.npy.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings with the input each row came from: {@code OUT.npy} (float32 [rows, D]) plus {@code OUT.txt}
 * listing the inputs in row order, one per line (the format {@code remoteclip embed} writes). In the
 * text file a backslash is written {@code \\}, a newline {@code \n} and a carriage return {@code \r}, so
 * every input takes exactly one line.
 */
public record EmbeddingTable(List<String> keys, float[][] rows) {
  public EmbeddingTable {
    keys = List.copyOf(keys);
    if (keys.size() != rows.length) {
      throw new IllegalArgumentException("keys=" + keys.size() + " rows=" + rows.length);
    }
  }

  /** The {@code .txt} listing next to {@code npy}. */
  public static Path listingOf(Path npy) {
    String name = npy.getFileName().toString();
    String base = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    return npy.resolveSibling(base + ".txt");
  }

  public static EmbeddingTable read(Path npy) throws IOException, DataFormatException {
    float[][] rows = FiniteRows.require(Npy.readMatrix(npy), npy);
    Path txt = listingOf(npy);
    List<String> lines = InputFiles.readLines(txt);
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty() && lines.size() == rows.length + 1) {
      lines = lines.subList(0, rows.length);
    }
    if (lines.size() != rows.length) {
      throw new DataFormatException(txt + ": lists " + lines.size() + " inputs but " + npy + " has " + rows.length + " rows");
    }
    List<String> keys = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      keys.add(unescape(lines.get(i), txt, i + 1));
    }
    return new EmbeddingTable(keys, rows);
  }

  /** Writes both files (each atomically; the listing last, so a listing always has its rows). */
  public void write(Path npy) throws IOException {
    int dim = rows.length == 0 ? 0 : rows[0].length;
    Npy.writeMatrix(npy, rows, dim);
    StringBuilder sb = new StringBuilder();
    keys.forEach(k -> sb.append(escape(k)).append('\n'));
    AtomicFiles.writeString(listingOf(npy), sb.toString());
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  static String unescape(String s, Path file, int line) throws DataFormatException {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (++i == s.length()) {
        throw DataFormatException.at(file, line, "dangling backslash");
      }
      switch (s.charAt(i)) {
        case '\\' -> sb.append('\\');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        default -> throw DataFormatException.at(file, line, "unknown escape \\" + s.charAt(i));
      }
    }
    return sb.toString();
  }
}

package io.remoteclip.data.annotation;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps raw labels (class strings, category ids, mask values or {@code r,g,b} colours) to readable names
 * and roles.
 *
 * <p>Classes file: UTF-8, one class per line, fields separated by a tab or {@code |}, {@code #} starts a
 * comment: {@code key | name [| plural] [| count|stuff|ignore]}. Example lines:
 * {@code small-vehicle | small vehicle}, {@code 0,0,63 | ship}, {@code 2 | low vegetation | | stuff},
 * {@code 0 | no data | | ignore}. An <em>open</em> table (no file given) accepts every label and
 * normalises its name; a <em>closed</em> table (from a file or built in) rejects labels it lacks.
 */
public final class ClassTable {

  /** Name, plural and role of one class. */
  public record Entry(String name, String plural, ClassRole role) {}

  private final Map<String, Entry> entries;
  private final boolean closed;

  private ClassTable(Map<String, Entry> entries, boolean closed) {
    this.entries = entries;
    this.closed = closed;
  }

  /** Accepts every label. */
  public static ClassTable open() {
    return new ClassTable(Collections.emptyMap(), false);
  }

  public static ClassTable of(Map<String, Entry> entries) {
    return new ClassTable(new LinkedHashMap<>(entries), true);
  }

  public boolean isClosed() {
    return closed;
  }

  public Map<String, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /** Entry for a raw label, or null when the table is closed and lacks it. */
  public Entry lookup(String raw) {
    Entry e = entries.get(raw);
    if (e == null) {
      e = entries.get(raw.trim().toLowerCase(Locale.ROOT));
    }
    if (e == null && !closed) {
      String name = ObjectNames.normalize(raw);
      e = new Entry(name, ObjectNames.plural(name), ClassRole.COUNT);
    }
    return e;
  }

  /** Overrides of this table by {@code other}'s entries (a user file refining a built-in table). */
  public ClassTable overriddenBy(ClassTable other) {
    Map<String, Entry> merged = new LinkedHashMap<>(entries);
    merged.putAll(other.entries);
    return new ClassTable(merged, closed || other.closed);
  }

  public static ClassTable read(Path file) throws IOException, DataFormatException {
    Map<String, Entry> map = new LinkedHashMap<>();
    List<String> lines = InputFiles.readLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\\t|\\|", -1);
      for (int k = 0; k < f.length; k++) {
        f[k] = f[k].trim();
      }
      if (f.length < 2 || f[0].isEmpty() || f[1].isEmpty()) {
        throw DataFormatException.at(file, i + 1, "expected 'key | name [| plural] [| count|stuff|ignore]'");
      }
      String plural = f.length > 2 && !f[2].isEmpty() ? f[2] : ObjectNames.plural(f[1]);
      ClassRole role = ClassRole.COUNT;
      if (f.length > 3 && !f[3].isEmpty()) {
        try {
          role = ClassRole.valueOf(f[3].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw DataFormatException.at(file, i + 1, "role must be count, stuff or ignore, not '" + f[3] + "'");
        }
      }
      if (map.put(f[0], new Entry(f[1], plural, role)) != null) {
        throw DataFormatException.at(file, i + 1, "class key '" + f[0] + "' defined twice");
      }
    }
    if (map.isEmpty()) {
      throw new DataFormatException(file + ": no classes defined");
    }
    return new ClassTable(map, true);
  }

  static Entry entry(String name, ClassRole role) {
    return new Entry(name, ObjectNames.plural(name), role);
  }
}

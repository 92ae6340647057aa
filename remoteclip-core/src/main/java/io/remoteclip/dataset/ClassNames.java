package io.remoteclip.dataset;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns class folder names into the readable names written into prompts ({@code denseresidential} →
 * "dense residential", {@code golf_course} → "golf course", {@code StorageTanks} → "storage tanks").
 *
 * <p>Lookup order: the override file ({@code folder=readable name} lines; keys compared exactly and then
 * in the normalised form), the built-in table of the SPEC §7 classification sets (keyed by the folder name
 * lower-cased with everything but letters and digits removed), then mechanical splitting of snake_case,
 * kebab-case and CamelCase.
 */
public final class ClassNames {
  private static final String TABLE = "class-names.txt";
  private static final Map<String, String> BUILT_IN = loadBuiltIn();

  private final Map<String, String> overrides;

  private ClassNames(Map<String, String> overrides) {
    this.overrides = overrides;
  }

  /** Built-in table and splitting only. */
  public static ClassNames builtIn() {
    return new ClassNames(Map.of());
  }

  /** Built-in table plus the overrides of {@code file} ({@code folder=readable name}, {@code #} comments). */
  public static ClassNames withOverrides(Path file) throws IOException, DataFormatException {
    Map<String, String> map = new HashMap<>();
    List<String> lines = InputFiles.readLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || eq == line.length() - 1) {
        throw DataFormatException.at(file, i + 1, "expected 'folder=readable name', got '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      if (map.put(key, line.substring(eq + 1).strip()) != null) {
        throw DataFormatException.at(file, i + 1, "class '" + key + "' is listed twice");
      }
    }
    return new ClassNames(Map.copyOf(map));
  }

  public String readable(String folder) {
    String o = overrides.get(folder);
    if (o != null) {
      return o;
    }
    String key = key(folder);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (key(e.getKey()).equals(key)) {
        return e.getValue();
      }
    }
    String b = BUILT_IN.get(key);
    return b != null ? b : split(folder);
  }

  public List<String> readable(List<String> folders) {
    List<String> out = new ArrayList<>(folders.size());
    folders.forEach(f -> out.add(readable(f)));
    return out;
  }

  /** Splits snake_case, kebab-case and CamelCase into lower-case words ("HarborPort" → "harbor port"). */
  public static String split(String folder) {
    String s = folder.replaceAll("[_\\-]+", " ")
        .replaceAll("([a-z0-9])([A-Z])", "$1 $2")
        .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
        .replace("&", " and ");
    return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  static String key(String folder) {
    return folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  private static Map<String, String> loadBuiltIn() {
    Map<String, String> map = new HashMap<>();
    try (InputStream in = ClassNames.class.getResourceAsStream(TABLE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + TABLE + " missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          int eq = line.indexOf('=');
          map.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(map);
  }
}

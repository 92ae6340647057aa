package io.remoteclip.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The model used when a caller names none: {@code REMOTECLIP_MODEL} (or the system property
 * {@code remoteclip.model}), else the one stored by {@link #store} in {@code settings.json} under the hub
 * home ({@code REMOTECLIP_HOME}), else the built-in demonstration model {@value #BUILT_IN}.
 *
 * @param name a registered name or a checkpoint path, as {@link ModelResolver#resolve(String)} takes it
 * @param source where the name came from
 */
public record DefaultModel(String name, Source source) {
  /** The model that ships with remoteclip: small, offline, for trying things out. */
  public static final String BUILT_IN = "remoteclip-mini";

  /** A published model worth pulling instead of the built-in one. */
  public static final String RECOMMENDED = "RemoteCLIP-ViT-B-32";

  static final String ENV = "REMOTECLIP_MODEL";
  static final String PROPERTY = "remoteclip.model";
  static final String SETTINGS_FILE = "settings.json";
  private static final String KEY = "default_model";

  /** Where a default came from. */
  public enum Source {
    /** {@code REMOTECLIP_MODEL} or {@code -Dremoteclip.model}. */
    ENVIRONMENT,
    /** {@code settings.json} under the hub home. */
    STORED,
    /** Nothing set: the built-in model. */
    BUILT_IN
  }

  /** True while the default is the built-in demonstration model (callers tell their users so). */
  public boolean isBuiltIn() {
    return BUILT_IN.equals(name);
  }

  /** The default of this process (environment, system properties, settings under {@code REMOTECLIP_HOME}). */
  public static DefaultModel fromEnvironment() throws DataFormatException, IOException {
    return read(HubSettings.fromEnvironment(), System.getenv(), System.getProperties());
  }

  /** The default for the given settings, environment and properties (a property wins over the variable). */
  public static DefaultModel read(HubSettings settings, Map<String, String> env, Properties props)
      throws DataFormatException, IOException {
    String set = props.getProperty(PROPERTY);
    if (set == null || set.isBlank()) {
      set = env.get(ENV);
    }
    if (set != null && !set.isBlank()) {
      return new DefaultModel(set.trim(), Source.ENVIRONMENT);
    }
    String stored = stored(settingsFile(settings));
    return stored != null ? new DefaultModel(stored, Source.STORED) : new DefaultModel(BUILT_IN, Source.BUILT_IN);
  }

  /**
   * Stores {@code name} as the default in {@code settings.json} under the hub home (atomically, keeping
   * other keys of that file).
   *
   * @return the settings file written
   */
  public static Path store(HubSettings settings, String name) throws DataFormatException, IOException {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("default model name is empty");
    }
    Path file = settingsFile(settings);
    ObjectNode root = Files.isRegularFile(file) ? object(file) : Json.mapper().createObjectNode();
    root.put(KEY, name);
    Files.createDirectories(file.getParent());
    AtomicFiles.writeString(file, Json.prettyString(root) + "\n");
    return file;
  }

  /** {@code settings.json} under the hub home. */
  public static Path settingsFile(HubSettings settings) {
    return settings.cacheDir().resolve(SETTINGS_FILE);
  }

  private static String stored(Path file) throws DataFormatException, IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    JsonNode v = object(file).get(KEY);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new DataFormatException(file + ": \"" + KEY + "\" must be a model name or path, got " + v);
    }
    return v.asText().trim();
  }

  private static ObjectNode object(Path file) throws DataFormatException, IOException {
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DataFormatException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (!(root instanceof ObjectNode o)) {
      throw new DataFormatException(file + ": expected a JSON object");
    }
    return o;
  }
}

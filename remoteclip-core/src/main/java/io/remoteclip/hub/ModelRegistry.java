package io.remoteclip.hub;

import io.remoteclip.Json;
import io.remoteclip.model.Activation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The known models and vocabularies: the built-in list (resource {@code io/remoteclip/hub/models.json})
 * overlaid by the user's {@code $REMOTECLIP_HOME/models.json}, whose entries replace built-in ones of
 * the same name (case-insensitive) and add new ones. Both files use the schema documented in
 * {@link io.remoteclip.hub}.
 */
public final class ModelRegistry {
  /** File name of the user registry inside the cache directory. */
  public static final String USER_FILE = "models.json";

  private static final String BUILT_IN = "models.json";
  private static final String BUILT_IN_ORIGIN = "built-in";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
  private static final ObjectMapper JSON = Json.mapper();

  private final Map<String, ModelEntry> models;
  private final Map<String, VocabularyEntry> vocabularies;

  private ModelRegistry(Map<String, ModelEntry> models, Map<String, VocabularyEntry> vocabularies) {
    this.models = models; // filled while loading, read-only afterwards (accessors return views)
    this.vocabularies = vocabularies;
  }

  /** The built-in registry alone. */
  public static ModelRegistry builtIn() {
    try (InputStream in = ModelRegistry.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("resource io/remoteclip/hub/models.json missing from the jar");
      }
      ModelRegistry r = new ModelRegistry(new LinkedHashMap<>(), new LinkedHashMap<>());
      r.add(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUILT_IN_ORIGIN);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DataFormatException e) {
      throw new IllegalStateException("built-in registry is malformed: " + e.getMessage(), e);
    }
  }

  /** The built-in registry plus {@code userFile} when it exists. */
  public static ModelRegistry load(Path userFile) throws DataFormatException, IOException {
    ModelRegistry base = builtIn();
    if (userFile == null || !Files.exists(userFile)) {
      return base;
    }
    ModelRegistry r = new ModelRegistry(new LinkedHashMap<>(base.models), new LinkedHashMap<>(base.vocabularies));
    r.add(Files.readString(userFile, StandardCharsets.UTF_8), userFile.toString());
    return r;
  }

  /** The registry for these settings: built-in plus {@code <cache>/models.json}. */
  public static ModelRegistry load(HubSettings settings) throws DataFormatException, IOException {
    return load(settings.cacheDir().resolve(USER_FILE));
  }

  public Optional<ModelEntry> model(String name) {
    return Optional.ofNullable(models.get(key(name)));
  }

  public Optional<VocabularyEntry> vocabulary(String name) {
    return Optional.ofNullable(vocabularies.get(key(name)));
  }

  public Collection<ModelEntry> models() {
    return Collections.unmodifiableCollection(models.values());
  }

  public Collection<VocabularyEntry> vocabularies() {
    return Collections.unmodifiableCollection(vocabularies.values());
  }

  /** Model names, comma-separated, for "unknown model" messages. */
  public String modelNames() {
    List<String> names = new ArrayList<>();
    models.values().forEach(m -> names.add(m.name()));
    return String.join(", ", names);
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }

  private void add(String text, String origin) throws DataFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw DataFormatException.at(origin, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new DataFormatException(origin + ": expected a JSON object with \"models\" and/or \"vocabularies\"");
    }
    Fields top = new Fields(root, origin, "");
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("models") && !f.equals("vocabularies") && !f.startsWith("_")) {
        throw new DataFormatException(origin + ": unknown key \"" + f + "\" (expected \"models\", \"vocabularies\")");
      }
    }
    // Vocabularies first so that models in the same file may name them.
    for (Fields v : top.array("vocabularies")) {
      VocabularyEntry e = new VocabularyEntry(v.name(), v.text("description", false),
          remoteFile(v.object("file", true)), origin);
      vocabularies.put(key(e.name()), e);
    }
    for (Fields m : top.array("models")) {
      ModelEntry e = model(m, origin);
      models.put(key(e.name()), e);
    }
  }

  private ModelEntry model(Fields m, String origin) throws DataFormatException {
    String name = m.name();
    boolean bundled = m.bool("bundled");
    String family = m.choice("family", ModelEntry.FAMILIES, "clip");
    boolean siglip = family.equals("siglip");
    String layout = m.choice("layout", ModelEntry.LAYOUTS, "open_clip");
    String activation = activation(m);
    List<Double> mean = m.triple("mean", HubDefaults.CLIP_MEAN);
    List<Double> std = m.triple("std", HubDefaults.CLIP_STD);
    for (int i = 0; i < 3; i++) {
      if (!(std.get(i) > 0)) {
        throw m.error("std", "must be positive");
      }
    }
    String resizeMode = m.choice("resize_mode", ModelEntry.RESIZE_MODES, siglip ? "squash" : "shortest");
    String interpolation = m.choice("interpolation", ModelEntry.INTERPOLATIONS, "bicubic");
    String tokenizer = m.choice("tokenizer", ModelEntry.TOKENIZERS,
        !siglip ? "clip-bpe" : layout.equals("huggingface") ? "siglip-hf" : "siglip-open_clip");
    ModelFiles files = bundled ? ModelFiles.NONE : files(m);
    String vocab = m.text("vocab", false);
    if (!bundled) {
      if (files.vocab() != null && vocab != null) {
        throw m.error("vocab", "the model has its own tokenizer file (" + files.vocab().name()
            + "); name a registry vocabulary or a file with \"role\": \"vocab\", not both");
      }
      if (files.vocab() == null && !tokenizer.equals("clip-bpe")) {
        throw m.error("files", "tokenizer " + tokenizer + " needs the model's own tokenizer file (a file with "
            + "\"role\": \"vocab\": spiece.model or tokenizer.json)");
      }
      if (files.vocab() == null && vocab == null) {
        vocab = HubDefaults.CLIP_VOCABULARY;
      }
      if (vocab != null && !vocabularies.containsKey(key(vocab))) {
        throw m.error("vocab", "no vocabulary named \"" + vocab + "\"");
      }
      if (layout.equals("huggingface") && files.config() == null) {
        throw m.error("files", "a huggingface layout needs its config.json (a file with \"role\": \"config\")");
      }
    }
    Integer imageSize = m.integer("image_size");
    return new ModelEntry(name, m.text("description", false), family, m.text("architecture", false), layout,
        activation, mean, std, imageSize, resizeMode, interpolation,
        Optional.ofNullable(m.text("prompt_set", false)).orElse(HubDefaults.PROMPT_SET), tokenizer, vocab,
        files.weights(), files.config(), files.vocab(), files.others(), bundled, m.text("license", false),
        m.text("source", false), origin);
  }

  /** Spellings of the activation accepted in a registry; the first of each group is the one kept. */
  private static String activation(Fields m) throws DataFormatException {
    String text = m.text("activation", false);
    if (text == null) {
      return Activation.QUICK_GELU.registryName();
    }
    String k = text.toLowerCase(Locale.ROOT).replace("-", "_");
    if (k.equals("gelu_pytorch_tanh") || k.equals("gelu_tanh")) {
      return "gelu_pytorch_tanh";
    }
    try {
      return Activation.parse(k).registryName();
    } catch (IllegalArgumentException e) {
      throw m.error("activation", "\"" + text + "\" is not \"quick_gelu\", \"gelu\" or \"gelu_pytorch_tanh\"");
    }
  }

  /** The files of a registered model: the weights, its config and tokenizer file if any, others. */
  private record ModelFiles(RemoteFile weights, RemoteFile config, RemoteFile vocab, List<RemoteFile> others) {
    static final ModelFiles NONE = new ModelFiles(null, null, null, List.of());
  }

  private static final List<String> ROLES = List.of("weights", "config", "vocab", "file");

  /**
   * {@code "weights"} (and {@code "config"}) for a one-file model, or {@code "files"}: every file of the model's
   * directory, each with its {@code role}; all land in one cache directory, so their names must differ.
   */
  private static ModelFiles files(Fields m) throws DataFormatException {
    List<Fields> listed = m.array("files");
    if (listed.isEmpty()) {
      Fields config = m.object("config", false);
      return new ModelFiles(remoteFile(m.object("weights", true)), config == null ? null : remoteFile(config), null,
          List.of());
    }
    if (m.node().has("weights") || m.node().has("config")) {
      throw m.error("files", "give the files either as \"weights\"/\"config\" or as \"files\", not both");
    }
    RemoteFile weights = null;
    RemoteFile config = null;
    RemoteFile vocab = null;
    List<RemoteFile> others = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Fields f : listed) {
      RemoteFile file = remoteFile(f);
      if (!names.add(file.name())) {
        throw f.error("name", "\"" + file.name() + "\" is listed twice");
      }
      String role = f.choice("role", ROLES, "file");
      if (!role.equals("file") && (role.equals("weights") ? weights : role.equals("config") ? config : vocab) != null) {
        throw f.error("role", "a second file with role " + role);
      }
      switch (role) {
        case "weights" -> weights = file;
        case "config" -> config = file;
        case "vocab" -> vocab = file;
        default -> others.add(file);
      }
    }
    if (weights == null) {
      throw m.error("files", "no file with \"role\": \"weights\"");
    }
    return new ModelFiles(weights, config, vocab, others);
  }

  private static RemoteFile remoteFile(Fields f) throws DataFormatException {
    String url = f.text("url", true);
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw f.error("url", "must start with https:// or http://");
    }
    String name = f.text("name", false);
    if (name == null) {
      name = url.substring(url.lastIndexOf('/') + 1);
    }
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw f.error("name", "\"" + name + "\" is not a plain file name");
    }
    Long size = f.longValue("size");
    if (size != null && size < 0) {
      throw f.error("size", "must not be negative");
    }
    String sha = f.text("sha256", false);
    if (sha != null) {
      sha = sha.toLowerCase(Locale.ROOT);
      if (!SHA256.matcher(sha).matches()) {
        throw f.error("sha256", "expected 64 hexadecimal digits");
      }
    }
    return new RemoteFile(url, name, size, sha);
  }

  /** Typed access to one JSON object with errors that name the file and the key path. */
  private record Fields(JsonNode node, String origin, String path) {
    DataFormatException error(String key, String problem) {
      return new DataFormatException(origin + ": " + path + key + ": " + problem);
    }

    String text(String key, boolean required) throws DataFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        if (required) {
          throw error(key, "missing");
        }
        return null;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        throw error(key, "expected a non-empty string");
      }
      return v.asText().trim();
    }

    /** The entry's {@code name}: it becomes a directory name, so only letters, digits and {@code ._+-}. */
    String name() throws DataFormatException {
      String n = text("name", true);
      if (!NAME.matcher(n).matches()) {
        throw error("name", "\"" + n + "\" may contain only letters, digits and . _ + -");
      }
      return n;
    }

    /** One of {@code allowed} (case-insensitive, kept as listed), or {@code fallback} when absent. */
    String choice(String key, List<String> allowed, String fallback) throws DataFormatException {
      String v = text(key, false);
      if (v == null) {
        return fallback;
      }
      for (String a : allowed) {
        if (a.equalsIgnoreCase(v)) {
          return a;
        }
      }
      throw error(key, "\"" + v + "\" is not one of " + String.join(", ", allowed));
    }

    boolean bool(String key) throws DataFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return false;
      }
      if (!v.isBoolean()) {
        throw error(key, "expected true or false");
      }
      return v.asBoolean();
    }

    Integer integer(String key) throws DataFormatException {
      Long v = longValue(key);
      if (v == null) {
        return null;
      }
      if (v <= 0 || v > Integer.MAX_VALUE) {
        throw error(key, "expected a positive integer");
      }
      return v.intValue();
    }

    Long longValue(String key) throws DataFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw error(key, "expected an integer");
      }
      return v.asLong();
    }

    List<Double> triple(String key, List<Double> fallback) throws DataFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isArray() || v.size() != 3) {
        throw error(key, "expected an array of 3 numbers (R, G, B)");
      }
      List<Double> out = new ArrayList<>(3);
      for (JsonNode x : v) {
        if (!x.isNumber()) {
          throw error(key, "expected an array of 3 numbers (R, G, B)");
        }
        out.add(x.asDouble());
      }
      return out;
    }

    Fields object(String key, boolean required) throws DataFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        if (required) {
          throw error(key, "missing");
        }
        return null;
      }
      if (!v.isObject()) {
        throw error(key, "expected an object");
      }
      return new Fields(v, origin, path + key + ".");
    }

    List<Fields> array(String key) throws DataFormatException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        throw error(key, "expected an array");
      }
      List<Fields> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isObject()) {
          throw new DataFormatException(origin + ": " + path + key + "[" + i + "]: expected an object");
        }
        out.add(new Fields(v.get(i), origin, path + key + "[" + i + "]."));
      }
      return out;
    }
  }
}

package io.remoteclip.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import io.remoteclip.ModelNotFoundException;
import io.remoteclip.ProgressListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns what a user typed after {@code --model} into local files: a registry name (downloaded into the
 * cache on first use unless offline), a bundled model ({@code models/<name>/} in the repository), a
 * checkpoint file, or a directory laid out like a bundled model.
 *
 * <p>When a file is missing and cannot be downloaded (offline switch, no network), the
 * {@link ModelNotFoundException} is one line naming the URL to fetch by hand and the exact path to save
 * it at.
 */
public final class ModelResolver {
  /** File names of a bundled model directory. */
  public static final String BUNDLED_WEIGHTS = "model.safetensors";

  public static final String BUNDLED_VOCAB = "vocab.txt.gz";
  public static final String BUNDLED_CONFIG = "config.json";
  /** Model ids of files given by path start so ({@link ResolvedModel#userFiles()}). */
  static final String FILE_ID_PREFIX = "file:";
  /** A transformers folder's weights, in the order transformers prefers them. */
  static final List<String> TRANSFORMERS_WEIGHTS = List.of("model.safetensors", "model.safetensors.index.json",
      "pytorch_model.bin", "pytorch_model.bin.index.json");
  /** SentencePiece tokenizer files of SigLIP models (the model proto first; tokenizer.json where only it ships). */
  static final List<String> SENTENCEPIECE_FILES = List.of("spiece.model", "tokenizer.json");

  private final ModelRegistry registry;
  private final HubSettings settings;
  private final ModelCache cache;
  private final ModelDownload models;
  private Downloader downloader;

  public ModelResolver(ModelRegistry registry, HubSettings settings) {
    this.registry = registry;
    this.settings = settings;
    this.cache = new ModelCache(settings.cacheDir());
    this.models = new ModelDownload(cache, settings, this::downloader);
  }

  /** Resolver for this process's environment and user registry. */
  public static ModelResolver fromEnvironment() throws DataFormatException, IOException {
    HubSettings s = HubSettings.fromEnvironment();
    return new ModelResolver(ModelRegistry.load(s), s);
  }

  public ModelRegistry registry() {
    return registry;
  }

  public HubSettings settings() {
    return settings;
  }

  public ModelCache cache() {
    return cache;
  }

  /** Same as {@link #resolve(String, Path, ProgressListener)} with the default vocabulary and no progress. */
  public ResolvedModel resolve(String nameOrPath) throws ModelNotFoundException, IOException {
    return resolve(nameOrPath, null, ProgressListener.NONE);
  }

  /**
   * Resolves a model name or path.
   *
   * @param vocabOverride a {@code --vocab} file, or {@code null} for the model's own vocabulary (the cached
   *     CLIP vocabulary for a bare checkpoint file)
   */
  public ResolvedModel resolve(String nameOrPath, Path vocabOverride, ProgressListener progress)
      throws ModelNotFoundException, IOException {
    return resolve(nameOrPath, vocabOverride, progress, true);
  }

  /**
   * As {@link #resolve(String, Path, ProgressListener)}; with {@code needVocab} false a bare checkpoint
   * file resolves without looking for (or downloading) a vocabulary, and {@code vocab()} may be null.
   */
  public ResolvedModel resolve(String nameOrPath, Path vocabOverride, ProgressListener progress, boolean needVocab)
      throws ModelNotFoundException, IOException {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new ModelNotFoundException("no model given: name a registered model (remoteclip models) or a file");
    }
    if (vocabOverride != null && !Files.isRegularFile(vocabOverride)) {
      throw new ModelNotFoundException(vocabOverride + ": vocabulary file not found");
    }
    Optional<ModelEntry> entry = registry.model(nameOrPath);
    if (entry.isPresent()) {
      return entry.get().bundled() ? resolveBundled(entry.get(), vocabOverride)
          : resolveRegistered(entry.get(), vocabOverride, progress);
    }
    Path path = Path.of(nameOrPath);
    if (Files.isDirectory(path)) {
      return resolveDirectory(path, vocabOverride, progress);
    }
    if (Files.isRegularFile(path)) {
      Path vocab = vocabOverride != null ? vocabOverride : namesSentencePiece(path) ? sentencePieceIn(path.getParent())
          : needVocab ? defaultVocabulary(progress) : null;
      return fromFiles(path.getFileName().toString(), fileId(path), path, vocab, null, null);
    }
    if (looksLikePath(nameOrPath)) {
      throw new ModelNotFoundException(nameOrPath + ": model file not found");
    }
    throw new ModelNotFoundException("unknown model \"" + nameOrPath + "\": not a file and not a registered name ("
        + registry.modelNames() + "; `remoteclip models` lists them)");
  }

  /**
   * The CLIP vocabulary from the cache, downloaded if missing: the default {@code --vocab} of commands
   * that are given a bare checkpoint.
   */
  public Path defaultVocabulary(ProgressListener progress) throws ModelNotFoundException, IOException {
    VocabularyEntry v = registry.vocabulary(HubDefaults.CLIP_VOCABULARY)
        .orElseThrow(() -> new ModelNotFoundException("the registry has no \"clip-bpe\" vocabulary"));
    return ensure(v.name(), v.file(), cache.vocabularyFile(v), List.of(), false, progress).path();
  }

  /**
   * One file fetched (or found) by {@link #pull}.
   *
   * @param role {@code weights}, {@code config}, {@code vocabulary} or {@code file}
   * @param file its registry record
   * @param result what the download did
   */
  public record Pulled(String role, RemoteFile file, Downloader.Result result) {}

  /**
   * Downloads every file of a registered model (weights, config, tokenizer and other files into the model's
   * directory, a registry vocabulary into {@code vocab/}) or a vocabulary into the cache. Bundled models need
   * nothing and return an empty list.
   *
   * @param force download again even when cached
   */
  public List<Pulled> pull(String name, boolean force, ProgressListener progress)
      throws ModelNotFoundException, IOException {
    Optional<ModelEntry> model = registry.model(name);
    List<Pulled> out = new ArrayList<>();
    if (model.isPresent()) {
      ModelEntry m = model.get();
      if (m.bundled()) {
        return out;
      }
      List<Missing> missing = missing(m, true);
      List<Downloader.Result> results = ensureModel(m, missing, force, progress);
      List<RemoteFile> files = m.remoteFiles();
      for (int i = 0; i < files.size(); i++) {
        out.add(new Pulled(m.roleOf(files.get(i)), files.get(i), results.get(i)));
      }
      if (m.vocab() != null) {
        VocabularyEntry v = vocabularyOf(m);
        out.add(new Pulled("vocabulary", v.file(),
            ensure(m.name(), v.file(), cache.vocabularyFile(v), missing, force, progress)));
      }
      return out;
    }
    Optional<VocabularyEntry> vocab = registry.vocabulary(name);
    if (vocab.isPresent()) {
      VocabularyEntry v = vocab.get();
      out.add(new Pulled("vocabulary", v.file(),
          ensure(v.name(), v.file(), cache.vocabularyFile(v), List.of(), force, progress)));
      return out;
    }
    throw new ModelNotFoundException("unknown model \"" + name + "\" (" + registry.modelNames()
        + "; `remoteclip models` lists them)");
  }

  /**
   * Directory of a bundled model: {@code <remoteclip.home>/models/<name>}, else {@code models/<name>} of the
   * installation this code was loaded from.
   */
  public Optional<Path> bundledDirectory(ModelEntry model) {
    for (Path candidate : bundledCandidates(model)) {
      if (Files.isRegularFile(candidate.resolve(BUNDLED_WEIGHTS))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The URL a registry file is fetched from, after mirror settings. */
  public URI downloadUrl(RemoteFile file) {
    return Mirrors.apply(file.url(), settings);
  }

  /** Cache path of each file of a registered model (weights first, then config, tokenizer, others, vocabulary). */
  public List<Path> cachePaths(ModelEntry m) {
    List<Path> out = new ArrayList<>();
    if (m.bundled()) {
      bundledDirectory(m).ifPresent(d -> {
        out.add(d.resolve(BUNDLED_WEIGHTS));
        out.add(d.resolve(BUNDLED_VOCAB));
      });
      return out;
    }
    for (RemoteFile f : m.remoteFiles()) {
      out.add(cache.modelFile(m, f));
    }
    if (m.vocab() != null) {
      out.add(cache.vocabularyFile(vocabularyOf(m)));
    }
    return out;
  }

  private ResolvedModel resolveRegistered(ModelEntry m, Path vocabOverride, ProgressListener progress)
      throws ModelNotFoundException, IOException {
    List<Missing> missing = missing(m, vocabOverride == null);
    ensureModel(m, missing, false, progress);
    Path weights = cache.modelFile(m, m.weights());
    Path config = m.config() == null ? null : cache.modelFile(m, m.config());
    Path vocab = vocabOverride;
    if (vocab == null && m.vocabFile() != null) {
      vocab = cache.modelFile(m, m.vocabFile());
    } else if (vocab == null) {
      VocabularyEntry v = vocabularyOf(m);
      vocab = ensure(m.name(), v.file(), cache.vocabularyFile(v), missing, false, progress).path();
    }
    String id = m.name() + "@" + (m.weights().sha256() != null ? "sha256:" + m.weights().sha256()
        : "size:" + Files.size(weights));
    return new ResolvedModel(m.name(), id, weights, vocab, config, m.architecture(), m.towerActivation(), m.mean(),
        m.std(), m.imageSize(), m.promptSet(), false, ResolvedModel.Traits.of(m));
  }

  /** The files of {@code m} in its cache directory, downloaded when missing and allowed. */
  private List<Downloader.Result> ensureModel(ModelEntry m, List<Missing> missing, boolean force,
      ProgressListener progress) throws ModelNotFoundException, IOException {
    if (settings.offline() && (force || !models.missing(m).isEmpty())) {
      throw new ModelNotFoundException(m.name() + " is not in the cache and downloads are off (REMOTECLIP_OFFLINE): "
          + byHand(m, missing));
    }
    try {
      return models.ensure(m, force, progress);
    } catch (NetworkUnavailableException e) {
      throw new ModelNotFoundException("cannot download " + m.name() + ": " + e.getMessage() + "; "
          + byHand(m, missing), e);
    }
  }

  /** The by-hand instructions for the missing files of {@code m} (its weights when none is missing: --force). */
  private String byHand(ModelEntry m, List<Missing> missing) {
    Missing first = missing.isEmpty() ? new Missing("weights", downloadUrl(m.weights()), cache.modelFile(m, m.weights()))
        : missing.get(0);
    return byHand(first.url, first.target, missing);
  }

  private ResolvedModel resolveBundled(ModelEntry m, Path vocabOverride) throws ModelNotFoundException, IOException {
    Path dir = bundledDirectory(m).orElseThrow(() -> new ModelNotFoundException("bundled model " + m.name()
        + " not found: expected " + String.join(" or ", bundledCandidates(m).stream()
            .map(p -> p.resolve(BUNDLED_WEIGHTS).toString()).toList())
        + " (it ships with the repository; run from a checkout, or set the system property remoteclip.home to it)"));
    Path vocab = vocabOverride != null ? vocabOverride : dir.resolve(BUNDLED_VOCAB);
    if (!Files.isRegularFile(vocab)) {
      throw new ModelNotFoundException(vocab + ": vocabulary of bundled model " + m.name() + " not found");
    }
    Path config = dir.resolve(BUNDLED_CONFIG);
    Path weights = dir.resolve(BUNDLED_WEIGHTS);
    String id = m.name() + "@sha256:" + Checksums.sha256(weights, ProgressListener.NONE);
    return new ResolvedModel(m.name(), id, weights, vocab, Files.isRegularFile(config) ? config : null,
        m.architecture(), m.towerActivation(), m.mean(), m.std(), m.imageSize(), m.promptSet(), true,
        ResolvedModel.Traits.of(m));
  }

  /**
   * A transformers model folder ({@code config.json} with a {@code model_type}): its weights, its config, and
   * its SentencePiece tokenizer (SigLIP) or the CLIP vocabulary.
   */
  private ResolvedModel resolveTransformers(Path dir, JsonNode config, Path vocabOverride, ProgressListener progress)
      throws ModelNotFoundException, IOException {
    Path weights = null;
    for (String name : TRANSFORMERS_WEIGHTS) {
      if (Files.isRegularFile(dir.resolve(name))) {
        weights = dir.resolve(name);
        break;
      }
    }
    if (weights == null) {
      throw new ModelNotFoundException(dir + ": transformers model folder without weights (" + String.join(", ",
          TRANSFORMERS_WEIGHTS) + ")");
    }
    Path vocab = vocabOverride != null ? vocabOverride : sentencePieceIn(dir);
    if (vocab == null && "clip".equals(config.path("model_type").asText())) {
      vocab = Files.isRegularFile(dir.resolve(BUNDLED_VOCAB)) ? dir.resolve(BUNDLED_VOCAB) : defaultVocabulary(progress);
    }
    return fromFiles(dir.getFileName().toString(), fileId(weights), weights, vocab, dir.resolve(BUNDLED_CONFIG), null);
  }

  /** The folder's config.json when it is a transformers one (it names a model_type), else null. */
  private static JsonNode transformersConfig(Path dir) {
    Path file = dir.resolve(BUNDLED_CONFIG);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode root = Json.mapper().readTree(file.toFile());
      return root != null && root.has("model_type") && !root.has("model_cfg") ? root : null;
    } catch (IOException e) {
      return null; // not JSON: not a transformers folder; the config reader names the file when it is used
    }
  }

  /**
   * True when an open_clip config next to {@code weights} names a Hugging Face tokenizer
   * ({@code text_cfg.hf_tokenizer_name}: SigLIP), whose files are looked for next to the weights instead of CLIP's.
   */
  private static boolean namesSentencePiece(Path weights) {
    Path config = io.remoteclip.model.ClipConfigs.findConfigNextTo(weights);
    if (config == null) {
      return false;
    }
    try {
      JsonNode root = Json.mapper().readTree(config.toFile());
      JsonNode cfg = root == null ? null : root.has("model_cfg") ? root.get("model_cfg") : root;
      return cfg != null && cfg.path("text_cfg").hasNonNull("hf_tokenizer_name");
    } catch (IOException e) {
      return false;
    }
  }

  /** The first SentencePiece tokenizer file in {@code dir}, or null. */
  private static Path sentencePieceIn(Path dir) {
    Path d = dir == null ? Path.of(".") : dir;
    return SENTENCEPIECE_FILES.stream().map(d::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
  }

  /** A directory holding weights (model.safetensors, or one .pt/.safetensors/.bin) and maybe a vocabulary. */
  private ResolvedModel resolveDirectory(Path dir, Path vocabOverride, ProgressListener progress)
      throws ModelNotFoundException, IOException {
    JsonNode transformers = transformersConfig(dir);
    if (transformers != null) {
      return resolveTransformers(dir, transformers, vocabOverride, progress);
    }
    Path weights = dir.resolve(BUNDLED_WEIGHTS);
    if (!Files.isRegularFile(weights)) {
      List<Path> candidates;
      try (Stream<Path> s = Files.list(dir)) {
        candidates = s.filter(Files::isRegularFile).filter(p -> {
          String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
          return n.endsWith(".pt") || n.endsWith(".safetensors") || n.endsWith(".bin") || n.endsWith(".pth");
        }).sorted().toList();
      }
      if (candidates.size() != 1) {
        throw new ModelNotFoundException(dir + ": expected " + BUNDLED_WEIGHTS + " or exactly one .pt/.safetensors/"
            + ".bin checkpoint in the directory, found " + candidates.size());
      }
      weights = candidates.get(0);
    }
    Path vocab = vocabOverride;
    if (vocab == null) {
      vocab = Files.isRegularFile(dir.resolve(BUNDLED_VOCAB)) ? dir.resolve(BUNDLED_VOCAB)
          : namesSentencePiece(weights) ? sentencePieceIn(dir) : defaultVocabulary(progress);
    }
    Path config = null;
    for (String name : List.of(BUNDLED_CONFIG, "open_clip_config.json")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        config = dir.resolve(name);
        break;
      }
    }
    return fromFiles(dir.getFileName().toString(), fileId(weights), weights, vocab, config, null);
  }

  private static ResolvedModel fromFiles(String name, String id, Path weights, Path vocab, Path config,
      String architecture) {
    // no activation: a config next to the weights or the family's default decides (ResolvedModel#userFiles)
    return new ResolvedModel(name, id, weights.toAbsolutePath(), vocab == null ? null : vocab.toAbsolutePath(), config, architecture,
        null, HubDefaults.CLIP_MEAN, HubDefaults.CLIP_STD, null, HubDefaults.PROMPT_SET, false);
  }

  /** A file of a model still to fetch, for the "download it by hand" message. */
  private record Missing(String role, URI url, Path target) {}

  /** Every file of {@code m} not in the cache (its registry vocabulary too when {@code withVocabulary}). */
  private List<Missing> missing(ModelEntry m, boolean withVocabulary) {
    List<Missing> out = new ArrayList<>();
    for (RemoteFile f : m.remoteFiles()) {
      addIfMissing(out, m.roleOf(f), f, cache.modelFile(m, f));
    }
    if (withVocabulary && m.vocab() != null) {
      VocabularyEntry v = vocabularyOf(m);
      addIfMissing(out, "vocabulary", v.file(), cache.vocabularyFile(v));
    }
    return out;
  }

  private void addIfMissing(List<Missing> out, String role, RemoteFile f, Path target) {
    if (!Files.isRegularFile(target)) {
      out.add(new Missing(role, downloadUrl(f), target));
    }
  }

  private VocabularyEntry vocabularyOf(ModelEntry m) {
    return registry.vocabulary(m.vocab()).orElseThrow(() -> new IllegalStateException(
        "registry entry " + m.name() + " names unknown vocabulary " + m.vocab()));
  }

  /**
   * The cached file, downloading it first when needed and allowed.
   *
   * @param missing every file of the same model still missing, so that one message can name them all
   */
  private Downloader.Result ensure(String owner, RemoteFile file, Path target, List<Missing> missing, boolean force,
      ProgressListener progress) throws ModelNotFoundException, IOException {
    if (!force && Files.isRegularFile(target)) {
      long size = Files.size(target);
      if (file.size() != null && size != file.size()) {
        throw new DownloadException(target + " has " + size + " bytes but " + owner + " should have " + file.size()
            + ": delete it and download " + owner + " again");
      }
      return new Downloader.Result(target, 0, true, false);
    }
    URI url = downloadUrl(file);
    if (settings.offline()) {
      throw new ModelNotFoundException(owner + " is not in the cache and downloads are off (REMOTECLIP_OFFLINE): "
          + byHand(url, target, missing));
    }
    try {
      return downloader().fetch(url, target, file.size(), file.sha256(), force, progress);
    } catch (NetworkUnavailableException e) {
      throw new ModelNotFoundException("cannot download " + owner + ": " + e.getMessage() + "; "
          + byHand(url, target, missing), e);
    }
  }

  private static String byHand(URI url, Path target, List<Missing> missing) {
    StringBuilder sb = new StringBuilder("download ").append(url).append(" by hand and save it as ").append(target);
    for (Missing m : missing) {
      if (!m.target.equals(target)) {
        sb.append(", and ").append(m.url).append(" as ").append(m.target);
      }
    }
    return sb.toString();
  }

  private synchronized Downloader downloader() {
    if (downloader == null) {
      downloader = new Downloader(settings);
    }
    return downloader;
  }

  private List<Path> bundledCandidates(ModelEntry m) {
    List<Path> out = new ArrayList<>();
    Path home = settings.repoHome() != null ? settings.repoHome() : installationHome();
    if (home != null) {
      out.add(home.resolve("models").resolve(m.name()));
    }
    return out;
  }

  /**
   * The installation this code runs from when {@code remoteclip.home} is not set: the nearest directory above
   * the jar or classes directory that holds {@code models/} (a checkout's {@code remoteclip-core/target/classes}
   * gives the checkout). Never the working directory: a library must not change with where it is started.
   */
  static Path installationHome() {
    try {
      var source = ModelResolver.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
      for (int up = 0; p != null && up < 5; up++, p = p.getParent()) {
        if (Files.isDirectory(p.resolve("models"))) {
          return p;
        }
      }
    } catch (java.net.URISyntaxException | SecurityException | java.nio.file.FileSystemNotFoundException e) {
      // no file location (custom class loader): only an explicit remoteclip.home finds bundled models
    }
    return null;
  }

  private static String fileId(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    return FILE_ID_PREFIX + abs + "@" + Files.size(abs) + ":" + Files.getLastModifiedTime(abs).toMillis();
  }

  private static boolean looksLikePath(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return s.contains("/") || s.contains("\\") || l.endsWith(".pt") || l.endsWith(".pth")
        || l.endsWith(".safetensors") || l.endsWith(".bin");
  }
}

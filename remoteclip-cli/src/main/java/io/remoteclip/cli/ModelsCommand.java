package io.remoteclip.cli;

import io.remoteclip.Json;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.hub.DefaultModel;
import io.remoteclip.hub.ModelCache;
import io.remoteclip.hub.ModelEntry;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.RemoteFile;
import io.remoteclip.hub.VocabularyEntry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip models}: the registered models, whether they are cached, and where. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List the known models (built-in registry plus $REMOTECLIP_HOME/models.json) and vocabularies:"
          + " family (clip or siglip), architecture, layout, activation, download size, and whether each is bundled,"
          + " cached (with its path), partly downloaded or not cached; --json adds preprocessing, tokenizer, licence"
          + " and every file. Never touches the network."
    },
    footer = {
      "%nExamples:",
      "  remoteclip models",
      "  remoteclip models --json | jq -r '.models[] | .name + \" \" + .status'",
      "  remoteclip pull RemoteCLIP-ViT-B-32 && remoteclip models --set-default RemoteCLIP-ViT-B-32"
    })
public final class ModelsCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--set-default", paramLabel = "NAME|PATH",
      description = "Make this model the default of every command run without --model (stored in "
          + "$REMOTECLIP_HOME/settings.json; REMOTECLIP_MODEL still wins).")
  String setDefault;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ModelResolver resolver = ModelResolver.fromEnvironment();
    if (setDefault != null) {
      return storeDefault(resolver);
    }
    DefaultModel current = DefaultModel.fromEnvironment();
    List<Map<String, Object>> models = new ArrayList<>();
    for (ModelEntry m : resolver.registry().models()) {
      models.add(describe(resolver, m));
    }
    List<Map<String, Object>> vocabularies = new ArrayList<>();
    for (VocabularyEntry v : resolver.registry().vocabularies()) {
      vocabularies.add(describe(resolver, v));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("cache", resolver.cache().root().toString());
      root.put("offline", resolver.settings().offline());
      root.put("default_model", current.name());
      root.put("default_model_source", current.source().name().toLowerCase(Locale.ROOT));
      root.put("models", models);
      root.put("vocabularies", vocabularies);
      out.println(Json.prettyString(root));
    } else {
      out.println("cache: " + resolver.cache().root() + (resolver.settings().offline() ? "  (offline)" : ""));
      out.println("default model: " + current.name() + switch (current.source()) {
        case ENVIRONMENT -> "  (REMOTECLIP_MODEL)";
        case STORED -> "  (" + DefaultModel.settingsFile(resolver.settings()) + ")";
        case BUILT_IN -> "  (built in; change it with 'remoteclip models --set-default NAME')";
      });
      String fmt = "%-24s %-6s %-24s %-18s %-17s %9s  %-10s %s%n";
      out.printf(fmt, "NAME", "FAMILY", "ARCHITECTURE", "LAYOUT", "ACTIVATION", "SIZE", "STATUS", "PATH");
      for (Map<String, Object> m : models) {
        out.printf(fmt, m.get("name"), m.get("family"), orDash(m.get("architecture")),
            m.get("bundled").equals(true) ? "bundled" : m.get("layout"), m.get("activation"), sizeColumn(m),
            m.get("status"), orDash(m.get("path")));
      }
      for (Map<String, Object> v : vocabularies) {
        out.printf(fmt, v.get("name"), "-", "(vocabulary)", "-", "-", sizeColumn(v), v.get("status"),
            orDash(v.get("path")));
      }
    }
    out.flush();
    return 0;
  }

  /** Stores {@code --set-default}: a registered name as given, a checkpoint file or directory as an absolute path. */
  private int storeDefault(ModelResolver resolver) throws Exception {
    String value = setDefault.strip();
    if (resolver.registry().model(value).isEmpty()) {
      Path p = Path.of(value);
      Usage.require(spec, !value.isEmpty() && Files.exists(p), "--set-default " + setDefault
          + ": not a registered model (" + resolver.registry().modelNames() + ") and no such file or directory");
      value = p.toAbsolutePath().normalize().toString();
    }
    Path file = DefaultModel.store(resolver.settings(), value);
    PrintWriter out = spec.commandLine().getOut();
    out.println("default model: " + value + " (stored in " + file + ")");
    DefaultModel effective = DefaultModel.fromEnvironment();
    if (!effective.name().equals(value)) {
      spec.commandLine().getErr().println("remoteclip: warning: REMOTECLIP_MODEL=" + effective.name()
          + " is set and wins over the stored default in this shell");
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> describe(ModelResolver resolver, ModelEntry m) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", m.name());
    d.put("description", m.description());
    d.put("family", m.family());
    d.put("architecture", m.architecture());
    d.put("layout", m.layout());
    d.put("activation", m.activation());
    d.put("image_size", m.imageSize());
    d.put("resize_mode", m.resizeMode());
    d.put("interpolation", m.interpolation());
    d.put("mean", m.mean());
    d.put("std", m.std());
    d.put("tokenizer", m.tokenizer());
    d.put("prompt_set", m.promptSet());
    d.put("bundled", m.bundled());
    if (m.bundled()) {
      Optional<Path> dir = resolver.bundledDirectory(m);
      d.put("status", dir.isPresent() ? "bundled" : "missing");
      Path weights = dir.map(p -> p.resolve(ModelResolver.BUNDLED_WEIGHTS)).orElse(null);
      d.put("path", weights == null ? null : weights.toString());
      d.put("size", weights == null ? null : ModelCache.sizeOf(weights));
      d.put("bytes_on_disk", weights == null ? 0 : ModelCache.sizeOf(weights));
    } else {
      putModelStatus(d, resolver, m);
      d.put("vocab", m.vocab());
    }
    d.put("license", m.license());
    d.put("source", m.source());
    d.put("registry", m.origin());
    return d;
  }

  /**
   * Status over every file of a registered model: cached when all are, partial while a pull has some of them;
   * the path is the weights file of a one-file model, the model's directory otherwise; url, size and sha256 are
   * the weights', "files" lists each file.
   */
  private static void putModelStatus(Map<String, Object> d, ModelResolver resolver, ModelEntry m) {
    ModelCache cache = resolver.cache();
    List<RemoteFile> files = m.remoteFiles();
    List<Map<String, Object>> listed = new ArrayList<>();
    long onDisk = 0;
    Long total = 0L;
    boolean all = true;
    boolean any = false;
    for (RemoteFile f : files) {
      Path target = cache.modelFile(m, f);
      boolean cached = Files.isRegularFile(target);
      long bytes = cached ? ModelCache.sizeOf(target) : cache.stagedBytes(m, f);
      onDisk += bytes;
      all &= cached;
      any |= cached || bytes > 0;
      total = total == null || f.size() == null ? null : total + f.size();
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", f.name());
      e.put("role", m.roleOf(f));
      e.put("url", resolver.downloadUrl(f).toString());
      e.put("size", f.size());
      e.put("sha256", f.sha256());
      e.put("status", cached ? "cached" : bytes > 0 ? "partial" : "not cached");
      listed.add(e);
    }
    Path shown = files.size() == 1 ? cache.modelFile(m, m.weights()) : cache.modelDirectory(m);
    d.put("status", all ? "cached" : any ? "partial" : "not cached");
    d.put("path", any ? shown.toString() : null);
    d.put("cache_path", shown.toString());
    d.put("url", resolver.downloadUrl(m.weights()).toString());
    d.put("size", files.size() == 1 ? m.weights().size() : total);
    d.put("sha256", m.weights().sha256());
    d.put("bytes_on_disk", onDisk);
    d.put("files", listed);
  }

  private static Map<String, Object> describe(ModelResolver resolver, VocabularyEntry v) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", v.name());
    d.put("description", v.description());
    putFileStatus(d, resolver, v.file(), resolver.cache().vocabularyFile(v));
    d.put("registry", v.origin());
    return d;
  }

  private static void putFileStatus(Map<String, Object> d, ModelResolver resolver, RemoteFile f, Path target) {
    boolean cached = Files.isRegularFile(target);
    long partial = ModelCache.partialBytes(target);
    d.put("status", cached ? "cached" : partial > 0 ? "partial" : "not cached");
    d.put("path", cached || partial > 0 ? target.toString() : null);
    d.put("cache_path", target.toString());
    d.put("url", resolver.downloadUrl(f).toString());
    d.put("size", f.size());
    d.put("sha256", f.sha256());
    d.put("bytes_on_disk", cached ? ModelCache.sizeOf(target) : partial);
  }

  private static String sizeColumn(Map<String, Object> d) {
    Object size = d.get("size");
    long onDisk = ((Number) d.get("bytes_on_disk")).longValue();
    if ("partial".equals(d.get("status"))) {
      return humanSize(onDisk) + (size == null ? "" : "/" + humanSize(((Number) size).longValue()));
    }
    if (size != null) {
      return humanSize(((Number) size).longValue());
    }
    return onDisk > 0 ? humanSize(onDisk) : "?";
  }

  private static Object orDash(Object o) {
    return o == null ? "-" : o;
  }

  /** {@code 605.2 MB}, {@code 1.71 GB}, {@code 1.4 MB}, {@code 812 B}. */
  static String humanSize(long n) {
    if (n < 1000) {
      return n + " B";
    }
    if (n < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
    }
    if (n < 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
  }
}

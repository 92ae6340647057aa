package io.remoteclip.cli.eval;

import io.remoteclip.encode.Encoder;
import io.remoteclip.encode.KeyedEncoder;
import io.remoteclip.encode.CachedEncoder;
import io.remoteclip.RemoteClipException;
import io.remoteclip.cli.ModelOptions;
import io.remoteclip.encode.ClipEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A model opened for an end-to-end evaluation, behind the embedding cache. {@link #report()} tells on
 * stderr how many rows came from the cache and how many were encoded.
 */
final class ModelSession implements AutoCloseable {
  private final ClipEncoder clip;
  private final Encoder encoder;
  private final CachedEncoder cached;
  private final Path cacheDir;
  private final PrintWriter err;

  private ModelSession(ClipEncoder clip, Path cacheDir, Path vocab, String bands, PrintWriter err) throws IOException {
    this.clip = clip;
    this.cacheDir = cacheDir;
    this.err = err;
    Encoder keyed = new KeyedEncoder(clip, KeyedEncoder.settingsKey(vocab, bands));
    this.cached = cacheDir == null ? null : new CachedEncoder(keyed, cacheDir);
    this.encoder = cached == null ? keyed : cached;
  }

  /** Opens the model of {@code options}; {@code spec} supplies the explicit --vocab/--bands for the cache key. */
  static ModelSession open(ModelOptions options, CacheOptions cache, CommandSpec spec)
      throws IOException, RemoteClipException {
    var parsed = spec.commandLine().getParseResult();
    Path vocab = parsed.matchedOptionValue("--vocab", (Path) null);
    String bands = parsed.matchedOptionValue("--bands", (String) null);
    ClipEncoder clip = options.open();
    try {
      return new ModelSession(clip, cache.directory(), vocab, bands, spec.commandLine().getErr());
    } catch (IOException | RuntimeException e) {
      clip.close();
      throw e;
    }
  }

  Encoder encoder() {
    return encoder;
  }

  String modelId() {
    return encoder.modelId();
  }

  /** Rows served from the cache so far (0 without a cache). */
  long cachedRows() {
    return cached == null ? 0 : cached.hits();
  }

  /** Rows the model computed so far (unknown without a cache: -1). */
  long encodedRows() {
    return cached == null ? -1 : cached.misses();
  }

  /** One stderr line: rows from the cache vs rows encoded. */
  void report() {
    if (cached != null) {
      err.printf("remoteclip: embeddings: %d cached, %d encoded (cache %s)%n", cached.hits(), cached.misses(), cacheDir);
    } else {
      err.println("remoteclip: embeddings: all encoded (--no-cache)");
    }
    err.flush();
  }

  @Override
  public void close() {
    clip.close();
  }
}

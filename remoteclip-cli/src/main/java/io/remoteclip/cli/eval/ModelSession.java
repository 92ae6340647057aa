package io.remoteclip.cli.eval;

import io.remoteclip.RemoteClipException;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.encode.CachedEncoder;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.Encoder;
import io.remoteclip.eval.protocol.EvalRequest;
import io.remoteclip.eval.protocol.EvalResult;
import io.remoteclip.eval.protocol.Evaluator;
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

  /** A finished request and the model id it ran with ({@code null} on cached embeddings). */
  record Ran(EvalResult result, String modelId) {}

  private ModelSession(ClipEncoder clip, Path cacheDir, PrintWriter err) {
    this.clip = clip;
    this.cacheDir = cacheDir;
    this.err = err;
    // The cache is keyed by the encoder's EncoderId, which names the vocabulary and bands as well.
    this.cached = cacheDir == null ? null : new CachedEncoder(clip, cacheDir);
    this.encoder = cached == null ? clip : cached;
  }

  /**
   * Runs {@code request} through the core {@link Evaluator}: with the model of {@code options} (opened
   * behind the cache, reported on stderr) when the request encodes, else on its embeddings alone.
   */
  static Ran run(EvalRequest request, ModelOptions options, CacheOptions cache, CommandSpec spec)
      throws IOException, RemoteClipException {
    if (!request.needsEncoder()) {
      return new Ran(new Evaluator(null, ConsoleProgress.stderr()).run(request), null);
    }
    try (ModelSession session = open(options, cache, spec)) {
      EvalResult result = new Evaluator(session.encoder, ConsoleProgress.stderr()).run(request);
      session.report();
      return new Ran(result, session.encoder.modelId());
    }
  }

  /** Opens the model of {@code options} behind the cache of {@code cache}. */
  private static ModelSession open(ModelOptions options, CacheOptions cache, CommandSpec spec)
      throws IOException, RemoteClipException {
    ClipEncoder clip = options.open();
    try {
      return new ModelSession(clip, cache.directory(), spec.commandLine().getErr());
    } catch (RuntimeException e) {
      clip.close();
      throw e;
    }
  }

  /** One stderr line: rows from the cache vs rows encoded. */
  private void report() {
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

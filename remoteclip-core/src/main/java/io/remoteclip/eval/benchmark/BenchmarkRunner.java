package io.remoteclip.eval.benchmark;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.CachedEncoder;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.protocol.EvalRequest;
import io.remoteclip.eval.protocol.Evaluator;
import io.remoteclip.eval.protocol.Protocol;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.model.Activation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs every (model, data set, protocol) of a {@link BenchmarkConfig} through the {@link Evaluator}, on
 * cached embeddings or, for a model entry with {@code model:}, by encoding its data sets through the
 * embedding cache. Models are opened with the given {@link ModelResolver}. A protocol whose inputs a data
 * set does not declare is recorded as skipped; bad input files fail the run.
 */
public final class BenchmarkRunner {
  private final BenchmarkConfig config;
  private final ModelResolver resolver;
  private final ProgressListener progress;
  private final Consumer<String> log;

  /**
   * @param resolver opens the end-to-end models; its cache folder holds the embedding cache unless the
   *     config names a {@code cache_dir}
   * @param progress one step per (model, data set, protocol)
   * @param log one line per finished cell and per model's cache use
   */
  public BenchmarkRunner(BenchmarkConfig config, ModelResolver resolver, ProgressListener progress,
      Consumer<String> log) {
    this.config = config;
    this.resolver = resolver;
    this.progress = progress;
    this.log = log;
  }

  public List<BenchmarkResult> run() throws IOException, RemoteClipException {
    List<BenchmarkResult> out = new ArrayList<>();
    int total = config.models().stream().mapToInt(m -> m.datasets().size()).sum() * config.protocols().size();
    progress.start("benchmark", total);
    int done = 0;
    try {
      for (BenchmarkConfig.Model model : config.models()) {
        ClipEncoder clip = model.source() == null ? null : open(model.source());
        try {
          CachedEncoder encoder = clip == null ? null : new CachedEncoder(clip, cacheDir());
          Evaluator evaluator = new Evaluator(encoder, ProgressListener.NONE);
          for (BenchmarkConfig.Dataset ds : model.datasets()) {
            DatasetRequests requests = new DatasetRequests(config, ds, encoder != null, model.textScale(), evaluator);
            for (Protocol protocol : config.protocols()) {
              EvalRequest request = requests.request(protocol);
              BenchmarkResult r = request == null
                  ? BenchmarkResult.skipped(model.name(), ds.name(), protocol, DatasetRequests.missing(protocol))
                  : new BenchmarkResult(model.name(), ds.name(), protocol, evaluator.run(request), null);
              out.add(r);
              log.accept(r.describe());
              if (request != null && protocol == Protocol.ZEROSHOT_TRANSDUCTIVE && encoder == null
                  && model.textScale() == null) {
                log.accept(model.name() + " / " + ds.name() + ": embeddings files do not name their model; the text "
                    + "prior used CLIP's scale 100 (set text_scale for a SigLIP's embeddings)");
              }
              progress.update(++done);
            }
          }
          if (encoder != null) {
            log.accept(model.name() + ": embeddings " + encoder.hits() + " cached, " + encoder.misses() + " encoded (cache "
                + cacheDir() + ")");
          }
        } finally {
          if (clip != null) {
            clip.close();
          }
        }
      }
    } finally {
      progress.finish();
    }
    return out;
  }

  private Path cacheDir() {
    return config.cacheDir() != null ? config.cacheDir() : resolver.settings().cacheDir().resolve("embeddings");
  }

  private ClipEncoder open(BenchmarkConfig.ModelSource s) throws IOException, RemoteClipException {
    ResolvedModel resolved = resolver.resolve(s.model(), s.vocab(), ProgressListener.NONE);
    ClipEncoder.Options options = ClipEncoder.Options.defaults().withConfig(s.config())
        .withActivation(s.activation() == null ? null : Activation.parse(s.activation()));
    return ClipEncoder.open(resolved, options, ProgressListener.NONE);
  }
}

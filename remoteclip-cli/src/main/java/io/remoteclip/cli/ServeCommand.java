package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.TextQueryBatcher;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.search.IndexedModel;
import io.remoteclip.search.SearchService;
import io.remoteclip.server.SearchServer;
import io.remoteclip.server.ServerLimits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves an index over HTTP: JSON API and a search page. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves an index built by 'remoteclip index': a web page (search box, result grid, click a result to "
          + "find similar images, upload an image to search by it and classify it) and a JSON API:",
      "  GET  /api/search?q=TEXT&k=20[&label=L]     GET /api/similar?id=ID&k=20",
      "  POST /api/search/image?k=20   (multipart 'image' field, or raw body)",
      "  POST /api/search/vector?k=20   (an embedding of the index's model: a JSON array as the body)",
      "  POST /api/classify?labels=a,b,c   (same upload, or a 'labels' form field)",
      "  GET  /api/thumb/ID     GET /api/health",
      "Searches also take zero_shot=a,b,c (each hit classified against these labels). Result paths are relative to "
          + "the indexed folder; the server's own paths are never sent.",
      "An index filled from a third-party table (a model remoteclip cannot load) is served by example: similar, "
          + "vector, label and area queries; the others are answered with the reason.",
      "One model is loaded and shared by all requests; concurrent text queries are encoded in batches and repeated",
      "ones answered from a cache (/api/health counts them). Ctrl-C / SIGTERM stops gracefully."
    },
    footer = {"%nExample:",
      "  remoteclip serve --index ucm-index --port 8080",
      "  curl 'http://127.0.0.1:8080/api/search?q=airport%%20terminal&k=5'"})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--index", paramLabel = "IDX", description = "Index directory (or --solr URL --collection NAME).")
  Path index;

  @Mixin SolrOptions solr;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(converter = Ranges.Port.class, names = "--port", defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one)." + Ranges.Port.HELP)
  int port;

  @Option(converter = Ranges.RequestThreads.class, names = "--http-threads", defaultValue = "0", paramLabel = "N",
      description = "Request threads (0 = 4 x cores, at least 16: a text query waits on its thread for its batch, so threads bound the batch)."
          + Ranges.RequestThreads.HELP)
  int httpThreads;

  @Option(converter = Ranges.Positive.class, names = "--max-upload-mb", defaultValue = "16", paramLabel = "MB",
      description = "Largest upload (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int maxUploadMb;

  @Option(converter = Ranges.Positive.class, names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "Longest wait for the model per request (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int timeoutSeconds;

  @Option(converter = Ranges.WindowMillis.class, names = "--batch-window-ms", defaultValue = "2", paramLabel = "MS",
      description = "Text queries arriving within this time of each other are encoded in one batch (default: ${DEFAULT-VALUE}; 0: only those already waiting)."
          + Ranges.WindowMillis.HELP)
  int batchWindowMs;

  @Option(converter = Ranges.Positive.class, names = "--max-queued", defaultValue = "256", paramLabel = "N",
      description = "Text queries waiting for the model; more are answered 503 with Retry-After (default: ${DEFAULT-VALUE})."
          + Ranges.Positive.HELP)
  int maxQueued;

  @Option(converter = Ranges.NonNegative.class, names = "--query-cache", defaultValue = "1024", paramLabel = "N",
      description = "Embeddings of the last N distinct query texts kept, so repeated queries skip the model (default: ${DEFAULT-VALUE}; 0: off)."
          + Ranges.NonNegative.HELP)
  int queryCache;

  @Override
  public Integer call() throws Exception {
    TextQueryBatcher.Options textQueries = new TextQueryBatcher.Options(Duration.ofMillis(batchWindowMs), maxQueued,
        queryCache, Duration.ofSeconds(timeoutSeconds));
    ServerLimits limits = ServerLimits.defaults().withMaxUploadBytes((long) maxUploadMb << 20)
        .withRequestTimeout(Duration.ofSeconds(timeoutSeconds));
    if (httpThreads > 0) {
      limits = limits.withThreads(httpThreads);
    }
    SearchBackend idx = SearchBackends.open(index, solr, spec.commandLine());
    SearchService service;
    String where = SearchBackends.describe(index, solr);
    try {
      if (!IndexedModel.loadable(idx.metadata()) && !spec.commandLine().getParseResult().hasMatchedOption("--model")) {
        // filled from a third-party table: served by example, as 'search' does; what needs the model gets one line
        service = SearchService.withoutModel(idx, where, "GET /api/similar?id=ID or POST /api/search/vector");
      } else {
        ClipEncoder encoder = IndexModels.openFor(idx.metadata(), where, modelOptions, spec);
        service = new SearchService(idx, encoder, textQueries);
      }
    } catch (Exception e) {
      idx.close();
      throw e;
    }
    SearchServer server;
    try {
      server = SearchServer.start(service, limits, host, port);
    } catch (java.io.IOException e) {
      service.close();
      throw new java.io.IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    PrintWriter err = spec.commandLine().getErr();
    Thread hook = new Thread(() -> {
      try {
        server.stop(5);
      } catch (Exception ignored) {
        // shutting down anyway
      } finally {
        stopped.countDown();
      }
    }, "remoteclip-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("serving %s (%d images, model %s%s) at %s — Ctrl-C to stop%n", where, service.documents(),
        service.metadata().modelId(), service.hasModel() ? "" : ", which remoteclip cannot load: queries by example, "
        + "vector and area only", server.url());
    out.flush();
    stopped.await();
    err.flush();
    return 0;
  }
}

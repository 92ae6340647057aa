package io.remoteclip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.cli.perf.LatencySummary;
import io.remoteclip.cli.perf.LoadAverage;
import io.remoteclip.cli.perf.QueryPhrases;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Load test of a running {@code serve}: concurrent clients sending distinct text queries. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Measures a running 'remoteclip serve' under load: each of --clients clients sends text searches",
      "(GET /api/search) one after another for --duration seconds after --warmup seconds, every query a",
      "different text (28,800 generated remote-sensing phrases, or the lines of --queries), so the server's",
      "query cache answers only what repeats. Prints successful queries/s, latency p50/p90/p99/max of the",
      "successful queries, the 503 and other error counts, the server's cache hits and mean text batch (from",
      "/api/health, where it reports them) and the load average. Several --clients values run one after another",
      "and continue the same query sequence."
    },
    footer = {"%nExamples:",
        "  remoteclip bench serve --url http://127.0.0.1:8080 --clients 1,8,32 --duration 30",
        "  remoteclip bench serve --clients 8 --duration 60 --queries queries.txt --json"})
public final class BenchServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The server (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(converter = Ranges.Positive.class, names = "--clients", split = ",", defaultValue = "8", paramLabel = "N[,N...]",
      description = "Concurrent clients; several values run one after another (default: ${DEFAULT-VALUE})."
          + Ranges.Positive.HELP)
  List<Integer> clients;

  @Option(converter = Ranges.PositiveDouble.class, names = "--duration", defaultValue = "30", paramLabel = "SECONDS",
      description = "Measured time per run (default: ${DEFAULT-VALUE})." + Ranges.PositiveDouble.HELP)
  double duration;

  @Option(converter = Ranges.NonNegativeDouble.class, names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
      description = "Unmeasured load before each run (default: ${DEFAULT-VALUE})." + Ranges.NonNegativeDouble.HELP)
  double warmup;

  @Option(converter = Ranges.Positive.class, names = "-k", defaultValue = "10",
      description = "Results per query (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int k;

  @Option(names = "--queries", paramLabel = "FILE", description = "Query texts, one per line (default: generated phrases).")
  Path queries;

  @Option(converter = Ranges.Seed.class, names = "--seed",
      description = "Order of the generated phrases (default: from the clock, so that runs "
      + "against the same server do not repeat each other's queries)." + Ranges.Seed.HELP)
  Long seed;

  @Option(converter = Ranges.Positive.class, names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "Per request (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int timeoutSeconds;

  @Option(names = "--bbox", paramLabel = "W,S,E,N",
      description = "Filter every query to footprints intersecting this WGS84 box (the server's bbox= parameter).")
  String bbox;

  /** The {@code &bbox=} part of every query, empty without --bbox. */
  private String geoParam = "";

  @Option(names = "--json", description = "One JSON object per run.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Usage.require(spec, clients.stream().allMatch(c -> c >= 1) && duration > 0 && warmup >= 0 && k >= 1
        && timeoutSeconds > 0, "--clients >= 1, --duration > 0, --warmup >= 0, -k >= 1, --timeout > 0");
    URI base = Usage.parse(spec, "--url", url, u -> URI.create(u.endsWith("/") ? u : u + "/"));
    Usage.require(spec, "http".equals(base.getScheme()) || "https".equals(base.getScheme()),
        "--url " + url + ": not an http(s) URL");
    geoParam = bbox == null ? "" : "&bbox=" + Usage.parse(spec, "--bbox", bbox, io.remoteclip.geo.LonLatBox::parse)
        .toString();
    long order = seed != null ? seed : System.nanoTime();
    List<String> texts = queries != null ? readQueries(queries) : QueryPhrases.all(order);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    AtomicLong next = new AtomicLong();
    PrintWriter out = spec.commandLine().getOut();
    for (int n : clients) {
      JsonNode before = health(http, base);
      Run run = run(http, base, texts, next, n);
      JsonNode after = health(http, base);
      print(out, n, run, ServerCounts.between(before, after), texts.size(), queries == null ? order : null);
    }
    return 0;
  }

  /** What the clients saw in the measured part of one run. */
  private record Run(double seconds, long[] okNanos, long unavailable, long errors, String firstError) {}

  private Run run(HttpClient http, URI base, List<String> texts, AtomicLong next, int n) throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    long end = measureFrom + (long) (duration * 1e9);
    Client[] cs = new Client[n];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Client c = new Client(http, base, texts, next, measureFrom, end);
      cs[i] = c;
      Thread t = new Thread(c, "bench-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long lastDone = measureFrom;
    long unavailable = 0;
    long errors = 0;
    String firstError = null;
    long[] all = new long[0];
    for (Client c : cs) {
      lastDone = Math.max(lastDone, c.lastDone);
      unavailable += c.unavailable;
      errors += c.errors;
      firstError = firstError != null ? firstError : c.firstError;
      long[] mine = Arrays.copyOf(c.nanos, c.count);
      long[] merged = Arrays.copyOf(all, all.length + mine.length);
      System.arraycopy(mine, 0, merged, all.length, mine.length);
      all = merged;
    }
    return new Run((lastDone - measureFrom) / 1e9, all, unavailable, errors, firstError);
  }

  /** One client: a query, its answer, the next query; records the requests it started in the measured window. */
  private final class Client implements Runnable {
    private final HttpClient http;
    private final URI base;
    private final List<String> texts;
    private final AtomicLong next;
    private final long measureFrom;
    private final long end;
    long[] nanos = new long[256];
    int count;
    long unavailable;
    long errors;
    long lastDone;
    String firstError;

    Client(HttpClient http, URI base, List<String> texts, AtomicLong next, long measureFrom, long end) {
      this.http = http;
      this.base = base;
      this.texts = texts;
      this.next = next;
      this.measureFrom = measureFrom;
      this.end = end;
    }

    @Override
    public void run() {
      for (long t0 = System.nanoTime(); t0 < end; t0 = System.nanoTime()) {
        String q = texts.get((int) (next.getAndIncrement() % texts.size()));
        URI uri = base.resolve("api/search?k=" + k + geoParam + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeoutSeconds)).GET().build();
        int status;
        String error = null;
        try {
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          status = r.statusCode();
          if (status != 200) {
            error = status + " " + (r.body().length() > 200 ? r.body().substring(0, 200) : r.body());
          }
        } catch (IOException e) {
          status = -1;
          error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        long done = System.nanoTime();
        if (t0 < measureFrom) {
          continue;
        }
        lastDone = done;
        if (status == 200) {
          if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, 2 * count);
          }
          nanos[count++] = done - t0;
        } else if (status == 503) {
          unavailable++;
        } else {
          errors++;
          firstError = firstError != null ? firstError : error;
        }
      }
    }
  }

  /** The server's text-query counters over a run, where {@code /api/health} reports them ({@code text_queries}). */
  private record ServerCounts(long requests, long cacheHits, long batches, long encoded) {
    static ServerCounts between(JsonNode before, JsonNode after) {
      JsonNode a = before.path("text_queries");
      JsonNode b = after.path("text_queries");
      if (a.isMissingNode() || b.isMissingNode()) {
        return null;
      }
      return new ServerCounts(delta(a, b, "requests"), delta(a, b, "cache_hits"), delta(a, b, "batches"),
          delta(a, b, "encoded"));
    }

    private static long delta(JsonNode a, JsonNode b, String key) {
      return b.path(key).asLong() - a.path(key).asLong();
    }
  }

  private void print(PrintWriter out, int n, Run run, ServerCounts server, int distinct, Long order) {
    LatencySummary l = LatencySummary.of(run.okNanos());
    double qps = run.seconds() > 0 ? l.count() / run.seconds() : 0;
    String load = LoadAverage.now();
    Double hitRate = server == null || server.requests() == 0 ? null : (double) server.cacheHits() / server.requests();
    Double meanBatch = server == null || server.batches() == 0 ? null : (double) server.encoded() / server.batches();
    if (json) {
      out.printf(Locale.ROOT, "{\"url\": \"%s\", \"bbox\": %s, \"clients\": %d, \"seconds\": %.3f, \"queries\": %d, \"queries_per_s\": %.3f, "
              + "\"p50_ms\": %.2f, \"p90_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f, \"unavailable_503\": %d, "
              + "\"errors\": %d, \"distinct_queries\": %d, \"seed\": %s, \"server_cache_hit_rate\": %s, "
              + "\"server_mean_batch\": %s, \"load_average\": \"%s\"}%n",
          url, bbox == null ? "null" : "\"" + bbox + "\"", n, run.seconds(), l.count(), qps, l.p50Ms(), l.p90Ms(),
          l.p99Ms(), l.maxMs(), run.unavailable(), run.errors(), distinct, order == null ? "null" : order.toString(), hitRate == null ? "null" : String.format(Locale.ROOT, "%.4f", hitRate),
          meanBatch == null ? "null" : String.format(Locale.ROOT, "%.2f", meanBatch), load);
    } else {
      String serverPart = server == null ? "server reports no query counters"
          : String.format(Locale.ROOT, "server cache hits %s, mean text batch %s",
              hitRate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * hitRate),
              meanBatch == null ? "-" : String.format(Locale.ROOT, "%.2f", meanBatch));
      out.printf(Locale.ROOT, "serve %s%s, %d clients, %.1f s: %d queries, %.2f queries/s; latency p50 %.1f ms, p90 %.1f ms, "
              + "p99 %.1f ms, max %.1f ms; %d x 503, %d errors; %s; load %s%n",
          url, bbox == null ? "" : " (bbox " + bbox + ")", n, run.seconds(), l.count(), qps, l.p50Ms(), l.p90Ms(), l.p99Ms(),
          l.maxMs(), run.unavailable(), run.errors(), serverPart, load);
    }
    if (run.firstError() != null) {
      spec.commandLine().getErr().println("remoteclip: first error: " + run.firstError());
    }
    out.flush();
  }

  private JsonNode health(HttpClient http, URI base) throws IOException, InterruptedException {
    URI uri = base.resolve("api/health");
    HttpResponse<String> r;
    try {
      r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeoutSeconds)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("cannot reach " + uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    if (r.statusCode() != 200) {
      throw new IOException(uri + " answered " + r.statusCode() + ": is this a remoteclip serve?");
    }
    try {
      return Json.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new IOException(uri + " did not answer JSON: is this a remoteclip serve?", e);
    }
  }

  private static List<String> readQueries(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    if (out.isEmpty()) {
      throw new IOException(file + ": no queries (one per line)");
    }
    return out;
  }
}

package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.FiniteRows;
import io.remoteclip.cli.common.GraphOptionsMixin;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.cli.perf.LatencySummary;
import io.remoteclip.cli.perf.Throughput;
import io.remoteclip.index.BulkLoad;
import io.remoteclip.index.GraphOptions;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexWriter;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.index.SearchFilter;
import io.remoteclip.index.SearchHit;
import io.remoteclip.npy.Npy;
import io.remoteclip.solr.SolrIndexer;
import io.remoteclip.solr.SolrIngester;
import io.remoteclip.solr.SolrSearchBackend;
import io.remoteclip.solr.SolrTarget;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.util.VectorUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Recall against queries/s of the project's own vector index, on vectors from .npy files. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the vector index that 'index' writes (Lucene HNSW, same codec) on the rows of --base: builds it",
      "(in a temporary directory, or --index DIR), reports the build rate (vectors/s), the size on disk and the",
      "peak resident memory, computes the exact top-k of every --queries row by brute force in the same run,",
      "and for each --ef: recall@k, queries/s one query at a time on one thread, latency p50/p99, and",
      "queries/s at each --threads value. Rows are L2-normalised (cosine), as the index does.",
      "With --generate N,D it writes a reproducible clustered set of unit vectors to --base (N rows) and",
      "--queries (--query-count rows) instead. bench/ann-compare.sh runs FAISS and hnswlib on the same files."
    },
    footer = {"%nExamples:",
        "  remoteclip bench search --generate 100000,512 --base base.npy --queries queries.npy",
        "  remoteclip bench search --base base.npy --queries queries.npy --ef 16,32,64,128 --threads 1,2",
        "  remoteclip bench search --base base.npy --queries queries.npy --index-quantize int8 --m 16 --beam 100 --json"})
public final class BenchSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--base", required = true, paramLabel = "BASE.npy", description = "The vectors to index (N x D float32).")
  Path base;

  @Option(names = "--queries", required = true, paramLabel = "Q.npy", description = "The query vectors (Q x D float32).")
  Path queries;

  @Option(converter = Ranges.Positive.class, names = {"-k", "--k"}, defaultValue = "10",
      description = "Neighbours per query (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int k;

  @Option(converter = Ranges.Positive.class, names = "--ef", split = ",", defaultValue = "16,32,64,128",
      paramLabel = "EF[,EF...]", description = "Candidates explored per query (HNSW efSearch), each at least -k "
      + "(default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  List<Integer> ef;

  @Option(converter = Ranges.ThreadCount.class, names = "--threads", split = ",", defaultValue = "1,2",
      paramLabel = "N[,N...]", description = "Concurrent searching threads for the queries/s figures (default: "
      + "${DEFAULT-VALUE})." + Ranges.ThreadCount.HELP)
  List<Integer> threads;

  @Option(converter = Ranges.Positive.class, names = "--runs", defaultValue = "5", paramLabel = "R",
      description = "Times each timed pass runs; its queries/s is the best run's, its latencies those of all runs "
      + "(ann-benchmarks' convention: a pass of a few hundred queries lasts a fraction of a second, where one stall "
      + "would decide the figure; default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int runs;

  @Mixin GraphOptionsMixin graphOptions;

  @Option(names = "--index", paramLabel = "DIR",
      description = "Build the index here and keep it (default: a temporary directory, removed afterwards).")
  Path indexDir;

  @Option(converter = Ranges.Positive.class, names = "--generate", split = ",", paramLabel = "N,D",
      description = "Write N clustered unit vectors of D dimensions to --base and --query-count to --queries, "
      + "then stop." + Ranges.Positive.HELP)
  List<Integer> generate;

  @Option(converter = Ranges.Positive.class, names = "--query-count", defaultValue = "1000", paramLabel = "Q",
      description = "Queries --generate writes (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int queryCount;

  @Option(converter = Ranges.Seed.class, names = "--seed", defaultValue = "42",
      description = "Seed of --generate (default: ${DEFAULT-VALUE})." + Ranges.Seed.HELP)
  long seed;

  @Option(names = "--table", paramLabel = "TABLE.parquet",
      description = "With --generate: also write the --base rows as an embeddings table (the columns of "
      + "remoteclip-spark embed, keys = row numbers) for 'index --from-parquet'.")
  Path table;

  @Option(converter = Ranges.Threads.class, names = "--build-threads", defaultValue = "0", paramLabel = "N",
      description = "Threads building the graph, as 'index --from-parquet --threads' (0 = all cores; default: "
      + "${DEFAULT-VALUE})." + Ranges.Threads.HELP)
  int buildThreads;

  @Option(converter = Ranges.Positive.class, names = "--commit-every", paramLabel = "N",
      description = "Commit every N rows while building, as 'index --from-parquet' does (default: "
      + BulkLoad.DEFAULT_COMMIT_EVERY + ")." + Ranges.Positive.HELP)
  Integer commitEvery;

  @Option(names = "--force-merge", description = "After the build, merge the index into one segment (one graph; "
      + "timed apart from the build) before searching; with --solr, Solr's optimize to one segment per replica. "
      + "Default: search the segments the build left, as 'index' does.")
  boolean forceMerge;

  @Option(names = "--json", description = "One JSON object with every figure.")
  boolean json;

  @Mixin SolrOptions solr;

  /** How long --force-merge waits for Solr's optimize. */
  private static final java.time.Duration OPTIMIZE_TIMEOUT = java.time.Duration.ofHours(6);

  /** The model id of an index or table of benchmark vectors. */
  static final String BENCH_MODEL = "bench-vectors";

  @Override
  public Integer call() throws Exception {
    Usage.require(spec, table == null || generate != null, "--table is written by --generate");
    if (generate != null) {
      Usage.require(spec, generate.size() == 2, "--generate N,D: two numbers");
      Usage.require(spec, !base.toAbsolutePath().normalize().equals(queries.toAbsolutePath().normalize()),
          "--base and --queries must be different files");
      int n = generate.get(0);
      int d = generate.get(1);
      Usage.require(spec, (long) n * d <= Integer.MAX_VALUE && (long) queryCount * d <= Integer.MAX_VALUE,
          "--generate N,D: N x D must be at most " + Integer.MAX_VALUE + " values");
      float[][][] sets = generate(n, queryCount, d, seed);
      Npy.writeMatrix(base, sets[0], d);
      Npy.writeMatrix(queries, sets[1], d);
      if (table != null) {
        VectorTable.write(table, sets[0], BENCH_MODEL);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "wrote %s (%d x %d) and %s (%d x %d), seed %d%n", base, n, d, queries, queryCount, d, seed);
      out.flush();
      return 0;
    }
    for (int e : ef) {
      Usage.require(spec, e >= k, "--ef " + e + " is smaller than -k " + k + " (each --ef must be at least k)");
    }
    graphOptions.requireValid(spec);
    Usage.require(spec, !solr.given() || (indexDir == null && !graphOptions.given() && commitEvery == null),
        "--index, --index-quantize, --m, --beam and --commit-every apply to the embedded index, not to "
        + "--solr (the collection's schema and Solr's merge policy decide those)");
    baseRows = readRows(base);
    float[][] q = readRows(queries);
    n = baseRows.length;
    dimension = baseRows[0].length;
    if (dimension != q[0].length) {
      throw new DataFormatException(queries + ": " + q[0].length + "-dimensional rows, " + base + " has "
          + dimension + "-dimensional ones");
    }
    Usage.require(spec, k <= n, "-k " + k + " is more than the " + n + " rows of " + base);
    normalizeRows(baseRows);
    normalizeRows(q);
    return solr.given() ? runSolr(q) : run(q);
  }

  /**
   * BASE's rows, held until the index is built and the exact top-k known, then dropped: the search phase's memory
   * is measured without them (an index is searched by a process that does not hold its source vectors).
   */
  private float[][] baseRows;
  private int n;
  private int dimension;

  /** Resident memory when searching started (after BASE was dropped and the heap collected), -1 if not measured. */
  private long rssBeforeSearching = -1;

  /**
   * Drops BASE, collects the heap (G1 gives most of it back after a full collection) and restarts the peak-RSS
   * count, so that {@link Throughput#peakRss()} afterwards is the peak of searching alone.
   */
  private void startSearchPhase() throws InterruptedException {
    baseRows = null;
    System.gc();
    // G1 (Java 17+) gives the freed regions back to the system on a background thread after the collection:
    // wait until the resident size has stopped falling for a second (at most 30 s) before restarting the count.
    // Half a second was not enough on a busy machine: a 1 M int8 run began its search phase at 7.4 GB.
    long last = Throughput.currentRss();
    for (int i = 0, still = 0; i < 300 && last > 0 && still < 10; i++) {
      Thread.sleep(100);
      long now = Throughput.currentRss();
      still = now >= last ? still + 1 : 0;
      last = Math.min(last, now);
    }
    rssBeforeSearching = Throughput.resetPeakRss() ? Throughput.currentRss() : -1;
  }

  /** Peak RSS since {@link #startSearchPhase()}, -1 where this system cannot restart the count. */
  private long peakRssSearching() {
    return rssBeforeSearching < 0 ? -1 : Throughput.peakRss();
  }

  /**
   * The same measurement on a SolrCloud collection that {@code solr create-collection} made for these vectors
   * (e.g. {@code --from-parquet} of the table {@code --generate --table} wrote): the rows go in as {@code index
   * --from-parquet --solr} sends them (rows the collection holds are skipped, so a rerun measures search only),
   * and queries go through the {@code --solr} search backend that {@code search} and {@code serve} use.
   */
  private int runSolr(float[][] q) throws Exception {
    float[][] b = baseRows;
    SolrTarget target = solr.target(spec.commandLine());
    String where = SearchBackends.describe(null, solr);
    try (SolrSearchBackend collection = SolrSearchBackend.open(target)) {
      collection.metadata().check(where, BENCH_MODEL);
      if (collection.metadata().dimension() != b[0].length) {
        throw new DataFormatException(where + ": a collection of " + collection.metadata().dimension()
            + "-dimensional vectors, " + base + " has " + b[0].length + "-dimensional rows");
      }
      long t0 = System.nanoTime();
      long cpu0 = Throughput.processCpuNanos();
      SolrIngester ingester = new SolrIngester(collection.client(), target.collection(), SolrIngester.Options.defaults());
      SolrIndexer.Summary summary = new SolrIndexer(ingester, BENCH_MODEL).indexRecords(
          records(b));
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      double clientCpu = (Throughput.processCpuNanos() - cpu0) / 1e9;
      if (!summary.failures().isEmpty()) {
        throw new java.io.IOException(where + ": " + summary.failures().size() + " rows not indexed, the first: "
            + summary.failures().get(0).name() + ": " + summary.failures().get(0).message());
      }
      double mergeSeconds = 0;
      if (forceMerge) {
        // Solr's optimize: every replica of every shard merged into one segment (one graph), waiting until searchable.
        // At 1 M it runs for minutes, past the search requests' timeout: its own client, with a timeout of hours.
        long m0 = System.nanoTime();
        try (org.apache.solr.client.solrj.impl.CloudSolrClient merging =
            target.withTimeouts(target.connectTimeout(), OPTIMIZE_TIMEOUT).open()) {
          merging.optimize(target.collection(), true, true, 1);
        } catch (org.apache.solr.client.solrj.SolrServerException e) {
          throw new IOException(where + ": optimize to one segment failed: " + e.getMessage(), e);
        }
        mergeSeconds = (System.nanoTime() - m0) / 1e9;
      }
      long e0 = System.nanoTime();
      int[][] exact = exactTopK(b, q, k, threads.stream().mapToInt(Integer::intValue).max().orElse(1));
      double exactSeconds = (System.nanoTime() - e0) / 1e9;
      List<EfResult> results = new ArrayList<>();
      for (int e : ef) {
        results.add(measure(collection, q, exact, e));
      }
      printSolr(b, q, where, summary, buildSeconds, mergeSeconds, clientCpu, exactSeconds, results);
      return 0;
    }
  }

  /** Row by row in place: a million 512-dimensional rows are 2 GB, and a normalised copy would be 2 GB more. */
  private static void normalizeRows(float[][] rows) {
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Vectors.normalized(rows[i]);
    }
  }

  private static float[][] readRows(Path file) throws IOException, DataFormatException {
    float[][] rows = Npy.readMatrix(file);
    if (rows.length == 0 || rows[0].length == 0) {
      throw new DataFormatException(file + ": no vectors");
    }
    return FiniteRows.require(rows, file);
  }

  private int run(float[][] q) throws Exception {
    boolean temporary = indexDir == null;
    Path dir = temporary ? Files.createTempDirectory("remoteclip-bench-search") : indexDir;
    try {
      // build
      long t0 = System.nanoTime();
      long cpu0 = Throughput.processCpuNanos();
      double buildSeconds;
      double mergeSeconds = 0;
      ImageIndexWriter.Bulk bulk = ImageIndexWriter.Bulk.of(buildThreads);
      ImageIndexWriter w = ImageIndexWriter.openBulk(dir, IndexMetadata.of(BENCH_MODEL, dimension),
          graphOptions.quantize, graphOptions.m, graphOptions.beam, bulk);
      GraphOptions graph = w.graph();
      int every = commitEvery == null ? BulkLoad.DEFAULT_COMMIT_EVERY : commitEvery;
      try {
        BulkLoad.run(w, records(baseRows), every, io.remoteclip.ProgressListener.NONE);
        buildSeconds = (System.nanoTime() - t0) / 1e9;
        if (forceMerge) {
          long m0 = System.nanoTime();
          w.forceMerge(1);
          w.commit();
          mergeSeconds = (System.nanoTime() - m0) / 1e9;
        }
        buildCpuSeconds = (Throughput.processCpuNanos() - cpu0) / 1e9;
        w.close();
      } catch (Exception | Error e) {
        w.abandon(); // a new index goes away, an existing one stays as last committed
        throw e;
      }
      long rssAfterBuild = Throughput.peakRss();
      long bytes = sizeOnDisk(dir);
      // exact
      long e0 = System.nanoTime();
      int[][] exact = exactTopK(baseRows, q, k, threads.stream().mapToInt(Integer::intValue).max().orElse(1));
      double exactSeconds = (System.nanoTime() - e0) / 1e9;
      startSearchPhase();
      List<EfResult> results = new ArrayList<>();
      int segments;
      try (ImageIndex index = ImageIndex.open(dir)) {
        segments = segments(dir);
        warmUp(index, q);
        for (int e : ef) {
          results.add(measure(index, q, exact, e));
        }
      }
      buildThreadsUsed = bulk.threads();
      commitEveryUsed = every;
      print(q, graph, buildSeconds, mergeSeconds, bytes, segments, rssAfterBuild, exactSeconds, results);
      return 0;
    } finally {
      if (temporary) {
        deleteTree(dir);
      }
    }
  }

  /** The rows of BASE as the index's records: key = row number (what recall compares), no labels. */
  private static java.util.Iterator<ImageRecord> records(float[][] b) {
    return java.util.stream.IntStream.range(0, b.length)
        .mapToObj(i -> ImageRecord.of(Integer.toString(i), BENCH_MODEL, b[i], List.of())).iterator();
  }

  private int buildThreadsUsed;
  /** CPU time of the process during build and merge: what the build costs however busy the machine is. */
  private double buildCpuSeconds;
  private int commitEveryUsed;

  /** Figures of one ef. */
  record EfResult(int ef, double recall, double[] qps1Runs, LatencySummary latency, List<double[]> threadQps) {
    /** Queries/s one at a time: the best of the runs. */
    double qps1() {
      return java.util.Arrays.stream(qps1Runs).max().orElseThrow();
    }
  }

  /**
   * Every query once at the largest --ef, untimed: the index is memory-mapped, and a page of it costs a fault the
   * first time a search touches it, which would land in whichever ef is timed first (FAISS and hnswlib hold their
   * indexes in memory already). A server that has run a while has these pages mapped too.
   */
  private void warmUp(SearchBackend index, float[][] q) throws Exception {
    int widest = ef.stream().mapToInt(Integer::intValue).max().orElse(k);
    for (float[] row : q) {
      index.nearest(row, k, SearchFilter.NONE, false, widest);
    }
  }

  private EfResult measure(SearchBackend index, float[][] q, int[][] exact, int e) throws Exception {
    // warm-up: a pass over up to 200 queries, untimed
    for (int i = 0; i < Math.min(200, q.length); i++) {
      index.nearest(q[i], k, SearchFilter.NONE, false, e);
    }
    int[][] found = new int[q.length][];
    long[] nanos = new long[runs * q.length];
    double[] qps1 = new double[runs];
    for (int r = 0; r < runs; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < q.length; i++) {
        long s = System.nanoTime();
        found[i] = ids(index.nearest(q[i], k, SearchFilter.NONE, false, e));
        nanos[r * q.length + i] = System.nanoTime() - s;
      }
      qps1[r] = q.length / ((System.nanoTime() - start) / 1e9);
    }
    List<double[]> byThreads = new ArrayList<>();
    for (int t : threads) {
      double best = 0;
      for (int r = 0; r < runs; r++) {
        best = Math.max(best, concurrentQps(index, q, e, t));
      }
      byThreads.add(new double[] {t, best});
    }
    return new EfResult(e, recall(found, exact, k), qps1, LatencySummary.of(nanos), byThreads);
  }

  private double concurrentQps(SearchBackend index, float[][] q, int e, int t) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(t);
    try {
      AtomicInteger next = new AtomicInteger();
      long start = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < t; i++) {
        fs.add(pool.submit(() -> {
          for (int j = next.getAndIncrement(); j < q.length; j = next.getAndIncrement()) {
            index.nearest(q[j], k, SearchFilter.NONE, false, e);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      return q.length / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static int[] ids(List<SearchHit> hits) {
    int[] out = new int[hits.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Integer.parseInt(hits.get(i).path());
    }
    return out;
  }

  /**
   * Mean over queries of |found ∩ exact top-k| / k: the share of the true k nearest neighbours that the search
   * returned (a query answered with fewer than k rows counts the missing ones as misses).
   */
  static double recall(int[][] found, int[][] exact, int k) {
    if (found.length != exact.length) {
      throw new IllegalArgumentException(found.length + " answers for " + exact.length + " queries");
    }
    if (found.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < found.length; i++) {
      java.util.Set<Integer> truth = new java.util.HashSet<>();
      for (int j = 0; j < Math.min(k, exact[i].length); j++) {
        truth.add(exact[i][j]);
      }
      int hits = 0;
      for (int j = 0; j < Math.min(k, found[i].length); j++) {
        if (truth.remove(found[i][j])) {
          hits++;
        }
      }
      sum += hits / (double) k;
    }
    return sum / found.length;
  }

  /** The exact top-k rows of {@code base} by dot product for each query, best first (ties by row number). */
  static int[][] exactTopK(float[][] base, float[][] q, int k, int threads) throws Exception {
    int[][] out = new int[q.length][];
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < Math.max(1, threads); t++) {
        fs.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < q.length; i = next.getAndIncrement()) {
            out[i] = topK(base, q[i], k);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private static int[] topK(float[][] base, float[] query, int k) {
    int n = Math.min(k, base.length);
    // min-heap on (score, -row): the root is the worst kept
    int[] heap = new int[n];
    float[] hs = new float[n];
    int size = 0;
    for (int r = 0; r < base.length; r++) {
      float s = VectorUtil.dotProduct(query, base[r]);
      if (size < n) {
        heap[size] = r;
        hs[size] = s;
        size++;
        up(heap, hs, size - 1);
      } else if (s > hs[0]) { // equal scores keep the earlier row
        heap[0] = r;
        hs[0] = s;
        down(heap, hs, size);
      }
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, c) -> hs[a] != hs[c] ? Float.compare(hs[c], hs[a]) : Integer.compare(heap[a], heap[c]));
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = heap[order[i]];
    }
    return out;
  }

  private static boolean worse(int[] heap, float[] hs, int a, int b) {
    return hs[a] < hs[b] || (hs[a] == hs[b] && heap[a] > heap[b]);
  }

  private static void up(int[] heap, float[] hs, int i) {
    while (i > 0) {
      int p = (i - 1) / 2;
      if (!worse(heap, hs, i, p)) {
        return;
      }
      swap(heap, hs, i, p);
      i = p;
    }
  }

  private static void down(int[] heap, float[] hs, int size) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int w = i;
      if (l < size && worse(heap, hs, l, w)) {
        w = l;
      }
      if (r < size && worse(heap, hs, r, w)) {
        w = r;
      }
      if (w == i) {
        return;
      }
      swap(heap, hs, i, w);
      i = w;
    }
  }

  private static void swap(int[] heap, float[] hs, int a, int b) {
    int t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
    float s = hs[a];
    hs[a] = hs[b];
    hs[b] = s;
  }

  /**
   * {@code n} base and {@code nq} query unit vectors of {@code d} dimensions drawn around the same clusters
   * (about one per 1,000 base rows, at least 10): the same seed gives the same vectors.
   */
  static float[][][] generate(int n, int nq, int d, long seed) {
    Random rnd = new Random(seed);
    int clusters = Math.max(10, n / 1000);
    float[][] centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = gaussian(rnd, d, 1.0);
    }
    // noise of about the centre's norm spread over the dimensions: clusters overlap, as CLIP embeddings do
    double sigma = 0.7;
    float[][] b = new float[n][];
    for (int i = 0; i < n; i++) {
      b[i] = around(rnd, centres[rnd.nextInt(clusters)], sigma);
    }
    Random qr = new Random(seed ^ 0x5DEECE66DL);
    float[][] q = new float[nq][];
    for (int i = 0; i < nq; i++) {
      q[i] = around(qr, centres[qr.nextInt(clusters)], sigma);
    }
    return new float[][][] {b, q};
  }

  private static float[] gaussian(Random rnd, int d, double scale) {
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (float) (rnd.nextGaussian() * scale);
    }
    return Vectors.normalized(v);
  }

  private static float[] around(Random rnd, float[] centre, double sigma) {
    int d = centre.length;
    float[] v = new float[d];
    double s = sigma / Math.sqrt(d);
    for (int j = 0; j < d; j++) {
      v[j] = (float) (centre[j] + rnd.nextGaussian() * s);
    }
    return Vectors.normalized(v);
  }

  private static long sizeOnDisk(Path dir) throws IOException {
    long total = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
    }
    return total;
  }

  private static int segments(Path dir) throws IOException {
    try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(dir)) {
      return org.apache.lucene.index.SegmentInfos.readLatestCommit(d).size();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void print(float[][] q, GraphOptions graph, double buildSeconds, double mergeSeconds, long bytes,
      int segments, long rssAfterBuild, double exactSeconds, List<EfResult> results) {
    PrintWriter out = spec.commandLine().getOut();
    long searching = peakRssSearching();
    long raw = (long) n * dimension * 4;
    double rate = n / buildSeconds;
    if (json) {
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "{\"engine\": \"remoteclip\", \"base\": \"%s\", \"queries\": \"%s\", \"n\": %d, "
              + "\"queries_count\": %d, \"dimension\": %d, \"k\": %d, \"quantize\": \"%s\", \"m\": %d, \"beam\": %d, "
              + "\"runs\": %d, \"build_threads\": %d, \"build_cpu_seconds\": %.3f, \"commit_every\": %d, \"build_seconds\": %.3f, \"build_vectors_per_s\": %.1f, \"merge_seconds\": %.3f, \"index_bytes\": %d, \"segments\": %d, "
              + "\"raw_vector_bytes\": %d, \"peak_rss_after_build_bytes\": %d, \"peak_rss_bytes\": %d, "
              + "\"rss_before_searching_bytes\": %d, \"peak_rss_searching_bytes\": %d, "
              + "\"exact_seconds\": %.3f, \"results\": [",
          json(base.toString()), json(queries.toString()), n, q.length, dimension, k, graph.quantize(),
          graph.m(), graph.beam(), runs, buildThreadsUsed, buildCpuSeconds, commitEveryUsed, buildSeconds, rate, mergeSeconds,
          bytes, segments, raw, rssAfterBuild, Math.max(rssAfterBuild, searching), rssBeforeSearching, searching,
          exactSeconds));
      out.println(appendResults(s, results).append("]}"));
    } else {
      out.printf(Locale.ROOT, "index: %d x %d vectors (%s), built on %d thread(s), committing every %d, in %.1f s = %.0f vectors/s%s, %d segment(s), %.1f MB on disk "
              + "(raw float32 %.1f MB); peak RSS %.0f MB after build%n",
          n, dimension, graph, buildThreadsUsed, commitEveryUsed, buildSeconds, rate,
          forceMerge ? String.format(Locale.ROOT, ", merged into one segment in %.1f s", mergeSeconds) : "", segments,
          bytes / 1e6, raw / 1e6, rssAfterBuild / 1e6);
      if (searching > 0) {
        out.printf(Locale.ROOT, "searching (BASE dropped, heap collected): peak RSS %.0f MB = %.2fx the raw float32 vectors "
            + "(%.0f MB when the index was opened)%n", searching / 1e6, searching / (double) raw, rssBeforeSearching / 1e6);
      }
      printTable(out, q.length, exactSeconds, results);
    }
    out.flush();
  }

  /** Solr's figures: the build as the client saw it (the nodes' memory and disk are the cluster's, not this JVM's). */
  private void printSolr(float[][] b, float[][] q, String where, SolrIndexer.Summary summary, double buildSeconds,
      double mergeSeconds, double clientCpu, double exactSeconds, List<EfResult> results) {
    PrintWriter out = spec.commandLine().getOut();
    double rate = summary.added() == 0 ? 0 : summary.added() / buildSeconds;
    if (json) {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "{\"engine\": \"remoteclip-solr\", \"collection\": \"%s\", "
              + "\"base\": \"%s\", \"queries\": \"%s\", \"n\": %d, \"queries_count\": %d, \"dimension\": %d, \"k\": %d, "
              + "\"added\": %d, \"already_present\": %d, \"commits\": %d, \"build_seconds\": %.3f, "
              + "\"build_vectors_per_s\": %.1f, \"client_cpu_seconds\": %.3f, \"force_merged\": %s, \"merge_seconds\": %.3f, "
              + "\"exact_seconds\": %.3f, \"results\": [",
          json(where), json(base.toString()), json(queries.toString()), b.length, q.length, b[0].length, k, summary.added(),
          summary.alreadyPresent(), summary.commits(), buildSeconds, rate, clientCpu, forceMerge, mergeSeconds, exactSeconds));
      out.println(appendResults(s, results).append("]}"));
    } else {
      out.printf(Locale.ROOT, "solr %s: %d x %d vectors, %d added (%d already there) in %.1f s = %.0f vectors/s, %d commits%n",
          where, b.length, b[0].length, summary.added(), summary.alreadyPresent(), buildSeconds, rate, summary.commits());
      if (forceMerge) {
        out.printf(Locale.ROOT, "optimized to one segment per replica in %.1f s%n", mergeSeconds);
      }
      printTable(out, q.length, exactSeconds, results);
    }
    out.flush();
  }

  /** The per-ef figures as JSON objects, comma-separated. */
  private static StringBuilder appendResults(StringBuilder s, List<EfResult> results) {
    for (int i = 0; i < results.size(); i++) {
      EfResult r = results.get(i);
      s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "{\"ef\": %d, \"recall\": %.4f, \"qps_1\": %.1f, "
          + "\"qps_1_runs\": [%s], \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"qps_threads\": {", r.ef(), r.recall(), r.qps1(),
          java.util.Arrays.stream(r.qps1Runs()).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x))
              .collect(java.util.stream.Collectors.joining(", ")),
          r.latency().p50Ms(), r.latency().p99Ms()));
      for (int j = 0; j < r.threadQps().size(); j++) {
        double[] tq = r.threadQps().get(j);
        s.append(String.format(Locale.ROOT, "%s\"%d\": %.1f", j == 0 ? "" : ", ", (int) tq[0], tq[1]));
      }
      s.append("}}");
    }
    return s;
  }

  /** The exact top-k's time and the per-ef table. */
  private void printTable(PrintWriter out, int queryCount, double exactSeconds, List<EfResult> results) {
    out.printf(Locale.ROOT, "exact top-%d of %d queries by brute force: %.1f s%n", k, queryCount, exactSeconds);
    StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%6s %9s %10s %8s %8s", "ef", "recall@" + k,
        "q/s (1)", "p50 ms", "p99 ms"));
    for (int t : threads) {
      h.append(String.format(Locale.ROOT, " %12s", "q/s (" + t + " thr)"));
    }
    out.println(h);
    for (EfResult r : results) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d %9.4f %10.1f %8.3f %8.3f", r.ef(),
          r.recall(), r.qps1(), r.latency().p50Ms(), r.latency().p99Ms()));
      for (double[] tq : r.threadQps()) {
        line.append(String.format(Locale.ROOT, " %12.1f", tq[1]));
      }
      out.println(line);
    }
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}

package io.remoteclip.cli;

import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.GraphOptionsMixin;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.solr.SolrIndexer;
import io.remoteclip.solr.SolrIngester;
import io.remoteclip.solr.SolrSearchBackend;
import io.remoteclip.solr.SolrTarget;
import java.time.Duration;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.index.BulkLoad;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexer;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.parquet.GeoParquetEmbeddings;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.IndexSummary;
import io.remoteclip.index.ImageIndexWriter;
import io.remoteclip.index.LabelSource;
import java.io.IOException;
import io.remoteclip.index.SceneWindowIndexer;
import io.remoteclip.geo.LonLatBox;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.cli.common.Usage;
import java.util.List;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Builds or updates a searchable index of the images under a folder. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds every image under DIR into a Lucene HNSW index (cosine similarity) for 'search' and 'serve', with "
          + "path, size, SHA-256, labels and, for GeoTIFFs, CRS and bounds.",
      "Incremental: unchanged files (same size, modification time and labels) are skipped, changed files "
          + "re-embedded (a new time with the same SHA-256 only refreshes the stored fields), deleted files removed.",
      "Safe to interrupt at any moment: the index commits every --commit-every images and the next run continues. "
          + "An index holds one model; re-runs, search and serve use it without --model."
    },
    footer = {"%nExamples:",
      "  remoteclip index ../shared/data/ucm-captions/images --index ucm-index \\",
      "      --labels ../shared/data/ucm-captions/labels.csv",
      "  remoteclip index ../shared/data/ucm-captions/images --index ucm-tiny --model ../shared/golden/vit-tiny/model.pt \\",
      "      --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz",
      "  remoteclip index --from-parquet ucm.parquet --index ucm-index   (from embed --out X.parquet or remoteclip-spark embed)",
      "  remoteclip index --from-parquet majortom.parquet --index mt-index   (a third-party GeoParquet table)",
      "  remoteclip index scenes/ --window 224 --stride 112 --index scene-index   (one document per window)"})
public final class IndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Parameters(arity = "0..*", paramLabel = "DIR",
      description = "Folder of images (walked recursively); with --window, (Geo)TIFF scenes and/or folders of them, "
          + "or http(s):// and s3:// URIs of cloud-optimised GeoTIFFs (read by ranges).")
  List<RasterLocation> inputs;

  /** The one folder of a whole-file run. */
  private Path root;

  /** --window N [--stride S]: one document per window of each scene. */
  @picocli.CommandLine.Mixin io.remoteclip.cli.common.WindowOptions windowOptions;

  /** With --window. */
  @Mixin io.remoteclip.cli.common.WindowBoxOption bbox;

  @Option(names = "--from-parquet", paramLabel = "TABLE",
      description = "Instead of DIR: add the rows of an embeddings table (nothing is re-encoded; the table's model "
          + "becomes the index's; rows replace documents of the same key): GeoParquet from 'embed --out X.parquet' or "
          + "'scan', a 'remoteclip-spark embed' table, or a third-party GeoParquet table with an embedding column "
          + "(Major TOM, Earth Index, Clay; searched by example, as remoteclip cannot load its model). Builds one "
          + "HNSW graph on --threads threads, extended at each commit (--commit-every rows); a rerun skips the rows "
          + "the index holds unchanged, so a killed run continues.")
  String fromParquet;

  @Option(names = "--embedding-column", paramLabel = "NAME",
      description = "With --from-parquet: the embedding column of a third-party table (default: embedding, else embeddings).")
  String embeddingColumn;

  @Option(names = "--id-column", paramLabel = "NAME",
      description = "With --from-parquet: the column whose value keys each row of a third-party table "
          + "(default: unique_id, else id, else the row's position).")
  String idColumn;

  @Option(names = "--index", paramLabel = "IDX",
      description = "Index directory (created if missing); or --solr URL --collection NAME.")
  Path index;

  @Mixin SolrOptions solr;

  @Option(converter = Ranges.Positive.class, names = "--solr-batch", defaultValue = "256", paramLabel = "N",
      description = "SolrCloud: documents per update request (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int solrBatch;

  @Option(converter = Ranges.NonNegative.class, names = "--solr-retries", defaultValue = "5", paramLabel = "N",
      description = "SolrCloud: retries of a failed update, with exponential back-off from 250 ms (default: ${DEFAULT-VALUE})."
          + Ranges.NonNegative.HELP)
  int solrRetries;

  @Option(converter = Ranges.Positive.class, names = "--commit-interval", defaultValue = "15", paramLabel = "SECONDS",
      description = "SolrCloud: commit at most this often while indexing, and at the end (default: ${DEFAULT-VALUE})."
          + Ranges.Positive.HELP)
  int commitInterval;

  @Option(names = "--labels-from-folder", description = "Label each image with its folder path relative to DIR.")
  boolean labelsFromFolder;

  @Option(names = "--labels", paramLabel = "CSV",
      description = "Labels from a CSV with a header naming a filename/file/path and a class/label/labels column (';' separates several).")
  Path labelsCsv;

  @Option(names = "--prune",
      description = "Allow a run to remove more than half of the index's documents (files no longer under DIR); "
          + "without it such a run is refused, as an unmounted or mistyped folder would empty the index.")
  boolean prune;

  @Option(converter = Ranges.Positive.class, names = "--commit-every", defaultValue = "256", paramLabel = "N",
      description = "Commit after every N embedded images (at most N are re-done after a kill; default: ${DEFAULT-VALUE}); "
          + "with --from-parquet, every N rows (default: 100000; each commit merges the rows into the graph)."
          + Ranges.Positive.HELP)
  int commitEvery;

  @Mixin GraphOptionsMixin graph;

  @Mixin io.remoteclip.cli.common.StacInputOptions stac;

  @Override
  public Integer call() throws Exception {
    graph.requireValid(spec);
    stac.check();
    if (stac.given()) {
      Usage.require(spec, inputs == null || inputs.isEmpty(), "give scenes (DIR, SCENE, URI) or --stac ITEMS, not both");
      Usage.require(spec, windowOptions.given(), "--stac indexes scenes by windows: add --window N");
      inputs = new java.util.ArrayList<>(stac.scenes().keySet());
    }
    if (graph.given() && solr.given()) {
      throw Usage.error(spec, "--index-quantize, --m and --beam apply to a Lucene --index, not to SolrCloud");
    }
    boolean hasInputs = inputs != null && !inputs.isEmpty();
    if (hasInputs == (fromParquet != null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give a folder of images (DIR) or --from-parquet TABLE, not both or neither");
    }
    if (fromParquet == null && (embeddingColumn != null || idColumn != null)) {
      throw Usage.error(spec, "--embedding-column and --id-column apply to --from-parquet");
    }
    if (fromParquet != null) {
      if ((index == null) == !solr.given()) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--from-parquet fills --index IDX or --solr URL --collection NAME (one of them)");
      }
      return solr.given() ? parquetIntoSolr() : importParquet();
    }
    if ((index == null) == !solr.given()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give --index IDX or --solr URL --collection NAME (one of them)");
    }
    if (windowOptions.given()) {
      return windows();
    }
    if (bbox.given()) {
      throw Usage.error(spec, "--bbox needs --window");
    }
    if (inputs.size() != 1) {
      throw Usage.error(spec, "give one folder (several scenes only with --window N)");
    }
    if (!(inputs.get(0) instanceof RasterLocation.Local folder)) {
      throw Usage.error(spec, inputs.get(0) + ": remote scenes are indexed by windows: add --window N");
    }
    root = folder.path();
    if (!Files.isDirectory(root)) {
      throw new java.nio.file.NoSuchFileException(root + " (not a directory)");
    }
    if (solr.given()) {
      return intoSolr();
    }
    IndexModels.defaultTo(storedMetadata(), modelOptions, spec);
    LabelSource labels = LabelSource.of(labelsFromFolder, labelsCsv);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ClipEncoder encoder = modelOptions.open()) {
      ImageIndexer indexer = new ImageIndexer(encoder, new ImageIndexer.Options(commitEvery, labels,
          IndexModels.reference(modelOptions), IndexModels.vocabReference(modelOptions), prune).withGraph(graph.quantize, graph.m, graph.beam)
          .withBulk(ImageIndexWriter.Bulk.of(modelOptions.threads())));
      IndexSummary s = indexer.update(root, index, ConsoleProgress.stderr());
      for (ImageEncoding.Failure f : s.failures()) {
        err.println("remoteclip: skipped " + f.message());
      }
      err.flush();
      out.println(index + ": " + s);
      out.flush();
      return s.documents() == 0 && !s.failures().isEmpty() ? ErrorReporter.DATA_ERR : 0;
    }
  }

  /** One document per window of each scene ({@link SceneWindowIndexer}). */
  private int windows() throws Exception {
    if (solr.given()) {
      throw Usage.error(spec, "--window indexes into a Lucene --index only");
    }
    LonLatBox box = bbox.box(spec);
    for (RasterLocation p : inputs) {
      if (p instanceof RasterLocation.Local local && !Files.exists(local.path())) {
        throw new java.nio.file.NoSuchFileException(p + " (no such scene or folder)");
      }
      if (p.isRemote()) {
        p.stat(); // a 404, 403 or unreachable host ends the run here, before the index is touched
      }
    }
    IndexModels.defaultTo(storedMetadata(), modelOptions, spec);
    LabelSource labels = LabelSource.of(labelsFromFolder, labelsCsv);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ClipEncoder encoder = modelOptions.open()) {
      SceneWindowIndexer indexer = new SceneWindowIndexer(encoder, new ImageIndexer.Options(commitEvery, labels,
          IndexModels.reference(modelOptions), IndexModels.vocabReference(modelOptions), prune).withGraph(graph.quantize, graph.m, graph.beam)
          .withBulk(ImageIndexWriter.Bulk.of(modelOptions.threads())),
          windowOptions.window(), windowOptions.stride(), box);
      IndexSummary s = indexer.updateScenes(inputs, index, ConsoleProgress.stderr());
      for (ImageEncoding.Failure f : s.failures()) {
        err.println("remoteclip: skipped " + f.message());
      }
      err.flush();
      out.println(index + ": " + s.toString().replaceFirst("^(\\d+) files", "$1 windows"));
      out.flush();
      return s.documents() == 0 && !s.failures().isEmpty() ? ErrorReporter.DATA_ERR : 0;
    }
  }

  private Integer importParquet() throws Exception {
    if (labelsFromFolder || labelsCsv != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--labels and --labels-from-folder apply to DIR, not to --from-parquet");
    }
    int every = spec.commandLine().getParseResult().hasMatchedOption("--commit-every") ? commitEvery
        : BulkLoad.DEFAULT_COMMIT_EVERY;
    try (GeoParquetEmbeddings rows = ParquetTables.open(fromParquet, embeddingColumn, idColumn,
        spec.commandLine().getErr())) {
      ImageIndexWriter writer = ImageIndexWriter.openBulk(index, rows.metadata(), graph.quantize, graph.m, graph.beam,
          ImageIndexWriter.Bulk.of(modelOptions.threads()));
      BulkLoad.Result r;
      TableRecords records = TableRecords.of(rows);
      try {
        r = BulkLoad.run(writer, records, every, ConsoleProgress.stderr());
      } catch (TableRecords.ReadFailure e) {
        writer.abandon();
        throw e.getCause();
      } catch (IOException | io.remoteclip.RemoteClipException | RuntimeException e) {
        writer.abandon();
        throw e;
      }
      writer.close();
      spec.commandLine().getOut().println(index + ": " + r.toString(records.allWindows() ? "windows" : "rows"));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** Sends an embeddings table's rows (ids: content hashes) without re-encoding; the table's model must be the collection's. */
  private int parquetIntoSolr() throws Exception {
    if (labelsFromFolder || labelsCsv != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--labels and --labels-from-folder apply to DIR, not to --from-parquet");
    }
    SolrTarget target = solr.target(spec.commandLine());
    try (GeoParquetEmbeddings rows = ParquetTables.open(fromParquet, embeddingColumn, idColumn, spec.commandLine().getErr());
        SolrSearchBackend collection = SolrSearchBackend.open(target)) {
      collection.metadata().check(SearchBackends.describe(null, solr), rows.metadata().modelId());
      SolrIngester ingester = new SolrIngester(collection.client(), target.collection(), new SolrIngester.Options(
          solrBatch, solrRetries, Duration.ofMillis(250), Duration.ofSeconds(commitInterval)));
      SolrIndexer.Summary s = ParquetTables.intoSolr(rows, new SolrIndexer(ingester, rows.metadata().modelId()));
      spec.commandLine().getOut().println(SearchBackends.describe(null, solr) + ": " + s + "; " + collection.size()
          + " documents");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** Encodes what the collection lacks and sends it; the collection's own model unless --model is given. */
  private int intoSolr() throws Exception {
    SolrTarget target = solr.target(spec.commandLine());
    LabelSource labels = LabelSource.of(labelsFromFolder, labelsCsv);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SolrSearchBackend collection = SolrSearchBackend.open(target)) {
      IndexModels.defaultTo(collection.metadata(), modelOptions, spec);
      try (ClipEncoder encoder = modelOptions.open()) {
        collection.metadata().check(SearchBackends.describe(null, solr), encoder.modelId());
        SolrIngester ingester = new SolrIngester(collection.client(), target.collection(), new SolrIngester.Options(
            solrBatch, solrRetries, Duration.ofMillis(250), Duration.ofSeconds(commitInterval)));
        SolrIndexer.Summary s = new SolrIndexer(ingester, encoder.modelId())
            .indexFolder(encoder, root, labels, ConsoleProgress.stderr());
        for (SolrIndexer.Failure f : s.failures()) {
          err.println("remoteclip: skipped " + f.message());
        }
        err.flush();
        out.println(SearchBackends.describe(null, solr) + ": " + s + "; " + collection.size() + " documents");
        out.flush();
        return s.added() + s.alreadyPresent() == 0 && !s.failures().isEmpty() ? ErrorReporter.DATA_ERR : 0;
      }
    }
  }

  private IndexMetadata storedMetadata() throws Exception {
    if (!Files.isDirectory(index)) {
      return null;
    }
    try (var dir = FSDirectory.open(index)) {
      if (!DirectoryReader.indexExists(dir)) {
        return null;
      }
    }
    try (ImageIndex idx = ImageIndex.open(index)) {
      return idx.metadata();
    }
  }
}

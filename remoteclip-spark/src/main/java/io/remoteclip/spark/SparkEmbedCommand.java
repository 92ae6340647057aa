package io.remoteclip.spark;

import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Ranges;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code remoteclip-spark embed}: images to a Parquet embeddings table. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds images into a Parquet table (id = SHA-256 of the bytes, path, length, mtime_ms, width, height, "
          + "footprint/crs of GeoTIFFs, model_id, model_ref, normalized, embedding).",
      "Incremental: images whose id and path the table already holds for this model are skipped; a table of another "
          + "model is refused. Unreadable images go to the errors table (path, id, reason, model_id) of this run.",
      "The table is only appended through Spark's output committer: a failed job adds nothing. One run at a time "
          + "writes a table (a lock file in it); the rerun after a killed first write starts that table afresh.",
      "With --window N: one row per N x N window of each (Geo)TIFF scene, path SCENE#x=..,y=..,w=..,h=.. (as index "
          + "--window keys it), id = SHA-256 of the window's samples, footprint of the window. Tasks read only their "
          + "windows' tiles; a window whose path the table has with its scene's current length and time is not read.",
      "Images and scenes may also be http(s):// or s3:// URIs, one or listed in a text file (--uris FILE), or the "
          + "assets of a STAC ItemCollection (--stac ITEMS --asset KEY; rows carry product_id, stac_collection, "
          + "stac_asset, timestamp). Each task fetches its own images (whole, as 'remoteclip embed' fetches them) or, "
          + "with --window, range-reads its windows (as 'remoteclip scan' reads COGs); a remote row's path is its URI. "
          + "--bbox W,S,E,N keeps (and reads) only the windows meeting the box. Unreadable URIs (404, 403, unreachable, "
          + "truncated) go to the errors table."
    },
    footer = {"%nExamples:",
      "  remoteclip-spark embed ../shared/data/ucm-captions/images --out ucm.parquet",
      "  remoteclip-spark embed 's3a://bucket/tiles/*.tif' --out s3a://bucket/emb --bands 3,2,1:0:3000 --ship files",
      "  remoteclip-spark embed --from-table scenes.csv --path-column file --out scenes.parquet",
      "  remoteclip-spark embed --uris images.txt --out remote.parquet",
      "  remoteclip-spark embed 's3a://bucket/scenes/*.tif' --window 256 --stride 128 --out s3a://bucket/windows",
      "  remoteclip-spark embed --stac items.json --asset visual --window 256 --bbox 11.2,46.4,11.5,46.6 --out w.parquet"})
final class SparkEmbedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;
  @Mixin SparkOptions sparkOptions;

  /** --solr URL --collection NAME: also send the table's rows to a SolrCloud collection once it is written. */
  @Mixin io.remoteclip.cli.SolrOptions solr;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PATH|GLOB|URI",
      description = "Images: a file, directory (recursive) or glob on any Hadoop file system (file:, hdfs:, s3a:), "
          + "or one image's (with --window: scene's) http(s):// or s3:// URI.")
  String input;

  /** --uris FILE: images (or scenes) listed one per line. */
  @Option(names = "--uris", paramLabel = "FILE", description = SparkClassifyCommand.URIS_HELP)
  String uris;

  /** --stac ITEMS --asset KEY: the scenes of a STAC ItemCollection, as remoteclip embed --window takes them. */
  @Mixin io.remoteclip.cli.common.StacInputOptions stac;

  /** --bbox W,S,E,N: only the windows meeting it. */
  @Mixin io.remoteclip.cli.common.WindowBoxOption bbox;

  @Option(names = "--from-table", paramLabel = "TABLE", description = "Instead of PATH: a Parquet or CSV table listing the images.")
  String fromTable;

  @Option(names = "--path-column", defaultValue = "path", paramLabel = "NAME",
      description = "The column of image paths in --from-table (default: ${DEFAULT-VALUE}).")
  String pathColumn;

  @Option(names = "--table-format", paramLabel = "parquet|csv",
      description = "Format of --from-table (default: csv for *.csv, else parquet).")
  String tableFormat;

  /** --window N [--stride S]: one row per window of each scene. */
  @Mixin io.remoteclip.cli.common.WindowOptions windows;

  @Option(names = "--out", required = true, paramLabel = "TABLE", description = "Embeddings table (Parquet directory).")
  String out;

  @Option(names = "--errors", paramLabel = "TABLE", description = "Errors table of this run (default: TABLE.errors).")
  String errors;

  @Option(names = "--raw", description = "Keep the raw encode_image output (default: L2-normalised rows).")
  boolean raw;

  @Option(converter = Ranges.NonNegative.class, names = "--partitions", defaultValue = "0", paramLabel = "N",
      description = "Spread the new images over N tasks (default: as the source splits them)."
          + Ranges.NonNegative.HELP)
  int partitions;

  @Option(converter = io.remoteclip.cli.common.Ranges.WaitSeconds.class, names = "--lock-wait", defaultValue = "600",
      paramLabel = "SECONDS", description = "How long to wait while another run writes to the same table (default: "
          + "${DEFAULT-VALUE}); one run at a time appends, the next skips what it added."
          + io.remoteclip.cli.common.Ranges.WaitSeconds.HELP)
  int lockWait;

  @Override
  public Integer call() throws Exception {
    boolean windowed = windows.given();
    ImageSource source = source(windowed);
    long t0 = System.nanoTime();
    SparkSession spark = sparkOptions.session();
    double sessionSeconds = (System.nanoTime() - t0) / 1e9;
    ModelShipment model = sparkOptions.ship(spark, modelOptions);
    EmbedJob.Summary s = EmbedJob.run(spark, new EmbedJob.Request(source, out, errorsTable(out, errors), !raw,
        partitions, model, null, java.time.Duration.ofSeconds(lockWait),
        line -> spec.commandLine().getErr().println("remoteclip-spark: " + line),
        windowed ? new EmbedJob.Windows(windows.window(), windows.stride(), bbox.box(spec)) : null));
    PrintWriter pw = spec.commandLine().getOut();
    pw.println(out + ": " + s);
    pw.printf(Locale.ROOT, "spark session: %s, %d task slots, started in %.1f s%n", spark.sparkContext().master(),
        spark.sparkContext().defaultParallelism(), sessionSeconds);
    // the driver loads the model too (for its identity); in local mode that load serves the tasks as well
    pw.printf(Locale.ROOT, "model %s: %d load(s) in this JVM, %.1f s%n", model.modelId(), ExecutorEncoders.loads(),
        ExecutorEncoders.loadSeconds());
    if (s.errors() > 0) {
      pw.println((windowed ? "unreadable scenes or windows: " : "unreadable images: ") + errorsTable(out, errors));
    }
    if (solr.given()) {
      pw.println(toSolr());
    }
    pw.flush();
    return s.embedded() + s.skipped() == 0 && s.errors() > 0 ? io.remoteclip.cli.ErrorReporter.DATA_ERR : 0;
  }

  /**
   * PATH|GLOB|URI, --uris, --from-table or --stac as the classify job takes them; with --window the same sources
   * are read as scenes, window by window.
   */
  private ImageSource source(boolean windowed) throws Exception {
    if (bbox.given() && !windowed) {
      throw io.remoteclip.cli.common.Usage.error(spec, "--bbox selects windows: give --window N");
    }
    return SparkClassifyCommand.source(spec, input, uris, stac, fromTable, pathColumn, tableFormat);
  }

  /**
   * The committed table into the collection, without re-encoding: ids are content hashes, so the rows the
   * collection already holds (an earlier run, a retried task) are skipped, never duplicated.
   */
  private String toSolr() throws Exception {
    var target = solr.target(spec.commandLine());
    try (var rows = io.remoteclip.cli.ParquetTables.open(out, null, null, spec.commandLine().getErr());
        io.remoteclip.solr.SolrSearchBackend collection = io.remoteclip.solr.SolrSearchBackend.open(target)) {
      collection.metadata().check(target.collection(), rows.metadata().modelId());
      var ingester = new io.remoteclip.solr.SolrIngester(collection.client(), target.collection(),
          io.remoteclip.solr.SolrIngester.Options.defaults());
      var summary = io.remoteclip.cli.ParquetTables.intoSolr(rows,
          new io.remoteclip.solr.SolrIndexer(ingester, rows.metadata().modelId()));
      return "solr " + target.collection() + ": " + summary + "; " + collection.size() + " documents";
    }
  }

  static String errorsTable(String out, String errors) {
    if (errors != null) {
      return errors;
    }
    String base = out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
    return base + ".errors";
  }
}

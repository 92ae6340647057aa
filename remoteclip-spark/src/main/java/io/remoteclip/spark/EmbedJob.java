package io.remoteclip.spark;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.EncoderId;
import io.remoteclip.index.ModelMismatchException;
import io.remoteclip.parquet.FooterMetadata;
import io.remoteclip.parquet.TableMetadata;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Embeds images into a Parquet table, incrementally: files whose (id, path) the table already has for this
 * model are skipped, a table made by another model (or with the other normalisation) is refused. Unreadable
 * images go to the errors table of this run (overwritten each run), never fail the job.
 *
 * <p>Fault tolerance comes from Spark, not from bookkeeping here: the table is only appended through the
 * Parquet output committer (a failed or killed job commits nothing), a retried task's first attempt is
 * discarded by the committer, and rows are keyed by content hash and path so a rerun after any failure
 * simply fills in what is missing. Two things Spark does not do are done here: one run at a time per table
 * ({@link TableLock}: concurrent runs would each append the same new rows), and a marker file while a new
 * table has no commit yet, so that the rerun after a killed first write recognises the folder as its own
 * and starts it afresh instead of refusing it.
 */
final class EmbedJob {
  /**
   * @param errors where the unreadable images of this run go
   * @param partitions repartition the new files into this many tasks (0: as the source splits them)
   * @param fault test hook, null in production
   * @param lockWait how long to wait for another run writing the same table
   * @param notices hears (one line) when this run waits for another
   * @param windows embed these windows of each scene instead of whole files ({@link WindowPlan}); null for files
   */
  record Request(ImageSource source, String table, String errors, boolean normalize, int partitions,
      ModelShipment model, TaskFault fault, java.time.Duration lockWait, java.util.function.Consumer<String> notices,
      Windows windows) {
    /** Whole files; waits up to ten minutes for another run, silently. */
    Request(ImageSource source, String table, String errors, boolean normalize, int partitions, ModelShipment model,
        TaskFault fault) {
      this(source, table, errors, normalize, partitions, model, fault, java.time.Duration.ofMinutes(10), line -> {}, null);
    }

    Request withWindows(Windows w) {
      return new Request(source, table, errors, normalize, partitions, model, fault, lockWait, notices, w);
    }
  }

  /**
   * Square windows of {@code size} pixels every {@code stride} pixels (as {@code index --window}); with a
   * {@code box} ({@code --bbox}) only those meeting it, else (null) all.
   */
  record Windows(int size, int stride, io.remoteclip.geo.LonLatBox box) implements java.io.Serializable {
    Windows(int size, int stride) {
      this(size, stride, null);
    }
  }

  /** Present while a new table has no committed rows: the folder is this job's, and no table yet. */
  static final String UNCOMMITTED = "_remoteclip_embed.uncommitted";

  /**
   * What a run did; {@code modelLoads} and {@code modelLoadSeconds} count this JVM only (all of it in local mode).
   * With windows, {@code files} counts the windows and the unreadable scenes, {@code scenes} the scenes (else -1).
   */
  record Summary(long files, long skipped, long embedded, long errors, double seconds, int modelLoads,
      double modelLoadSeconds, int scenes) {
    double imagesPerSecond() {
      return embedded / Math.max(seconds, 1e-9);
    }

    @Override
    public String toString() {
      String what = scenes < 0 ? files + " files" : files + " windows of " + scenes + " scene(s)";
      return String.format(java.util.Locale.ROOT, "%s: %d embedded, %d already in the table, %d unreadable; "
          + "%.1f s (%.1f images/s)", what, embedded, skipped, errors, seconds, imagesPerSecond());
    }
  }

  private EmbedJob() {}

  static Summary run(SparkSession spark, Request r) throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    Path table = new Path(r.table());
    FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (fs.isFile(table)) {
      throw new DataFormatException(r.table() + ": is a file, not a table directory; give a new --out");
    }
    try (TableLock lock = TableLock.acquire(fs, table, r.lockWait(), r.notices())) {
      boolean created = claim(fs, table);
      if (!created) {
        geoFooters(spark, r); // first finish a killed run's footer pass, whose part copies are hidden from the read below
      }
      try {
        return runLocked(spark, r, created ? null : existingTable(spark, r.table(), r.model().modelId(), r.normalize()),
            fs, t0);
      } catch (Throwable e) {
        if (created && fs.exists(new Path(table, UNCOMMITTED))) {
          fs.delete(table, true); // nothing was committed: leave no folder behind
        }
        throw e;
      }
    }
  }

  /**
   * Makes the locked table ready for this run's write: true when this run creates it (absent, or the
   * uncommitted first write of a killed run, whose leftovers are removed). A committed table loses the
   * task outputs of a killed append, which the next commit would otherwise merge into it.
   */
  private static boolean claim(FileSystem fs, Path table) throws IOException, DataFormatException {
    Path marker = new Path(table, UNCOMMITTED);
    if (fs.exists(new Path(table, "_SUCCESS"))) {
      fs.delete(marker, false);
      fs.delete(new Path(table, "_temporary"), true);
      return false;
    }
    boolean ours = fs.exists(marker);
    List<Path> leftovers = new java.util.ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus c : fs.listStatus(table)) {
      if (!c.getPath().getName().startsWith(TableLock.NAME)) {
        leftovers.add(c.getPath());
      }
    }
    if (!ours && !leftovers.isEmpty()) {
      throw new DataFormatException(table + ": exists but is not a table a finished embed job wrote (no _SUCCESS); "
          + "give a new --out or remove it");
    }
    for (Path p : leftovers) {
      fs.delete(p, true);
    }
    fs.create(marker, true).close();
    return true;
  }

  private static Summary runLocked(SparkSession spark, Request r, Dataset<Row> existing, FileSystem fs, long t0)
      throws IOException, RemoteClipException {
    int loads0 = ExecutorEncoders.loads();
    double load0 = ExecutorEncoders.loadSeconds();
    long files;
    int scenes = -1;
    Dataset<Row> encoded;
    if (r.windows() != null) {
      WindowPlan.Planned plan = WindowPlan.plan(spark, r, existing);
      files = plan.items();
      scenes = plan.scenes();
      encoded = plan.encoded();
    } else {
      files = r.source().count(spark);
      Dataset<Row> sources = r.source().read(spark)
          .withColumn(Tables.ID, functions.sha2(functions.col(Tables.SRC_CONTENT), 256));
      Dataset<Row> todo = existing == null ? sources
          : sources.join(existing.select(Tables.ID, Tables.PATH),
              scala.jdk.javaapi.CollectionConverters.asScala(List.of(Tables.ID, Tables.PATH)).toSeq(), "left_anti");
      if (r.partitions() > 0) {
        todo = todo.repartition(r.partitions());
      }
      encoded = todo.mapPartitions(new EncodePartition(r.model(), r.normalize(), r.fault()), Encoders.row(Tables.ENCODED));
    }
    encoded = encoded.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Column failed = functions.col(Tables.ERROR).isNotNull();
      long errors = 0;
      long embedded = 0;
      for (Row c : encoded.groupBy(failed.as("failed")).count().collectAsList()) {
        if (c.getBoolean(0)) {
          errors = c.getLong(1);
        } else {
          embedded = c.getLong(1);
        }
      }
      if (embedded > 0 || existing == null) {
        // Spark's default INT96 would hide the STAC timestamp from readers other than Spark (GeoParquet, DuckDB);
        // zstd as the CLI's tables (the GeoParquet distribution guide's choice), not Spark's default snappy
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        encoded.where(functions.not(failed)).select(columns(Tables.EMBEDDINGS.fieldNames()))
            .write().mode(SaveMode.Append).option("compression", "zstd").parquet(r.table());
      }
      // every run, whatever it wrote: a run killed while adding the footers is finished by the next
      geoFooters(spark, r);
      fs.delete(new Path(r.table(), UNCOMMITTED), false);
      encoded.where(failed).select(functions.col(Tables.PATH), functions.col(Tables.ID),
              functions.col(Tables.ERROR).as(Tables.REASON), functions.col(Tables.MODEL_ID))
          .write().mode(SaveMode.Overwrite).parquet(r.errors());
      return new Summary(files, files - embedded - errors, embedded, errors, (System.nanoTime() - t0) / 1e9,
          ExecutorEncoders.loads() - loads0, ExecutorEncoders.loadSeconds() - load0, scenes);
    } finally {
      encoded.unpersist();
    }
  }

  /**
   * Gives the committed part files the GeoParquet {@code geo} footer key, which Spark cannot write, and the
   * model's: each footer rewritten after the commit, row groups copied unchanged ({@link FooterMetadata}).
   */
  private static void geoFooters(SparkSession spark, Request r) throws IOException, RemoteClipException {
    int dimension = ExecutorEncoders.get(r.model()).towers().embedDim();
    FooterMetadata.completeTable(spark.sparkContext().hadoopConfiguration(), new Path(r.table()),
        TableMetadata.of(r.model().modelId(), r.model().modelRef(), r.model().vocabRef(), dimension, r.normalize()));
  }

  static Column[] columns(String[] names) {
    Column[] out = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = functions.col(names[i]);
    }
    return out;
  }

  /**
   * The table at {@code table}, or null when there is none yet; refuses one made by another model than
   * {@code modelId} or with the other normalisation (a null argument skips that check).
   */
  static Dataset<Row> existingTable(SparkSession spark, String table, String modelId, Boolean normalize)
      throws IOException, RemoteClipException {
    Path p = new Path(table);
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(p)) {
      return null;
    }
    if (!fs.exists(new Path(p, "_SUCCESS"))) {
      throw new DataFormatException(table + ": exists but is not a table a finished embed job wrote (no _SUCCESS); "
          + "give a new --out or remove it");
    }
    Dataset<Row> t = spark.read().parquet(table);
    for (String c : List.of(Tables.ID, Tables.PATH, Tables.MODEL_ID, Tables.NORMALIZED)) {
      if (!List.of(t.columns()).contains(c)) {
        throw new DataFormatException(table + ": not an embeddings table (no column " + c + ")");
      }
    }
    if (modelId != null && !List.of(t.columns()).contains(Tables.GEOMETRY)) {
      throw new DataFormatException(table + ": an embeddings table of an earlier version (no GeoParquet geometry column); "
          + "new rows would not match its files: use a new --out table");
    }
    if (modelId != null && !List.of(t.columns()).contains(Tables.PRODUCT_ID)) {
      throw new DataFormatException(table + ": an embeddings table of an earlier version (no STAC columns product_id, "
          + "stac_collection, stac_asset, timestamp); new rows would not match its files: use a new --out table");
    }
    if (modelId == null) {
      return t;
    }
    for (Row m : t.select(Tables.MODEL_ID, Tables.NORMALIZED).distinct().limit(3).collectAsList()) {
      String have = m.getString(0);
      if (!have.equals(modelId)) {
        String what = EncoderId.isEncoderId(have) && EncoderId.isEncoderId(modelId)
            ? " (" + String.join("; ", EncoderId.parse(have).differences(EncoderId.parse(modelId))) + ")" : "";
        throw new ModelMismatchException(table + ": holds embeddings of encoder " + have + ", this run uses " + modelId
            + what + "; embeddings of different encoders cannot be mixed: use that model and settings or a new --out table");
      }
      if (normalize != null && m.getBoolean(1) != normalize) {
        throw new DataFormatException(table + ": holds " + (m.getBoolean(1) ? "L2-normalised" : "raw")
            + " embeddings, this run writes " + (normalize ? "normalised" : "raw") + " ones (--raw); use a new --out table");
      }
    }
    return t;
  }
}

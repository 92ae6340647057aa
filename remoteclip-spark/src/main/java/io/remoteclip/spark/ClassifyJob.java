package io.remoteclip.spark;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.index.ModelMismatchException;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Zero-shot labels for an embeddings table (no image is decoded again) or directly for images (encoded in the
 * same job, unreadable ones to the errors table). Output: {@link Tables#CLASSIFIED}, top-k labels with their
 * probabilities (softmax over the labels for CLIP, a sigmoid per label for SigLIP), best first.
 */
final class ClassifyJob {
  /** Exactly one of {@code embeddings} (a table) and {@code images} is set. */
  record Request(String embeddings, ImageSource images, String out, String errors, boolean overwrite,
      List<String> labels, int topK, ModelShipment model) {}

  record Summary(long classified, long errors, double seconds) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d images classified, %d unreadable; %.1f s", classified, errors, seconds);
    }
  }

  private ClassifyJob() {}

  static Summary run(SparkSession spark, Request r, ZeroShotClassifier classifier) throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    refuseExisting(spark, r.out(), r.overwrite());
    Dataset<Row> embeddings;
    Dataset<Row> encoded = null;
    if (r.embeddings() != null) {
      embeddings = EmbedJob.existingTable(spark, r.embeddings(), r.model().modelId(), null);
      if (embeddings == null) {
        throw new java.nio.file.NoSuchFileException(r.embeddings());
      }
    } else {
      encoded = r.images().read(spark).withColumn(Tables.ID, functions.sha2(functions.col(Tables.SRC_CONTENT), 256))
          .mapPartitions(new EncodePartition(r.model(), true, null), Encoders.row(Tables.ENCODED))
          .persist(StorageLevel.MEMORY_AND_DISK());
      embeddings = encoded.where(functions.col(Tables.ERROR).isNull());
    }
    try {
      Dataset<Row> out = embeddings.mapPartitions(new ClassifyPartition(classifier, r.labels(), r.topK(),
          r.embeddings() != null ? r.embeddings() : "the model's output"),
          Encoders.row(Tables.CLASSIFIED));
      writeWhole(spark, out, r.out(), r.overwrite());
      long classified = spark.read().parquet(r.out()).count();
      long errors = 0;
      if (encoded != null) {
        Dataset<Row> failed = encoded.where(functions.col(Tables.ERROR).isNotNull()).select(functions.col(Tables.PATH),
            functions.col(Tables.ID), functions.col(Tables.ERROR).as(Tables.REASON), functions.col(Tables.MODEL_ID));
        failed.write().mode(SaveMode.Overwrite).parquet(r.errors());
        errors = spark.read().parquet(r.errors()).count();
      }
      return new Summary(classified, errors, (System.nanoTime() - t0) / 1e9);
    } finally {
      if (encoded != null) {
        encoded.unpersist();
      }
    }
  }

  /**
   * Writes {@code out} beside {@code table} under a hidden name and renames it into place once the job has
   * succeeded: a failed job (an unreadable or non-finite row) leaves neither a partial table nor, with
   * --overwrite, a deleted earlier one.
   */
  private static void writeWhole(SparkSession spark, Dataset<Row> out, String table, boolean overwrite) throws IOException {
    var target = new org.apache.hadoop.fs.Path(table);
    var fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    // a leading dot: Hadoop and Spark readers of the parent folder skip it
    var staging = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".staging-" + java.util.UUID.randomUUID());
    try {
      out.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
      if (overwrite) {
        fs.delete(target, true);
      }
      if (!fs.rename(staging, target)) {
        throw new IOException(table + ": could not move the finished table into place from " + staging);
      }
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
    }
  }

  private static void refuseExisting(SparkSession spark, String out, boolean overwrite) throws IOException, DataFormatException {
    var p = new org.apache.hadoop.fs.Path(out);
    if (!overwrite && p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
      throw new DataFormatException(out + ": already exists; give a new --out or --overwrite");
    }
  }

  /** The model an embeddings table was made with: its {@code model_ref} (for loading) and {@code model_id}. */
  static Row tableModel(SparkSession spark, String table) throws IOException, RemoteClipException {
    Dataset<Row> t = EmbedJob.existingTable(spark, table, null, null);
    if (t == null) {
      throw new java.nio.file.NoSuchFileException(table);
    }
    List<Row> m = t.select(Tables.MODEL_REF, Tables.MODEL_ID).distinct().limit(2).collectAsList();
    if (m.size() != 1) {
      throw new ModelMismatchException(table + ": " + (m.isEmpty() ? "is empty" : "holds more than one model"));
    }
    return m.get(0);
  }
}

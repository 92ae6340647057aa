package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.encode.EmbeddingTable;
import io.remoteclip.geo.Footprint;
import io.remoteclip.parquet.EmbeddingRow;
import io.remoteclip.parquet.GeoParquetWriter;
import io.remoteclip.parquet.TableMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where {@code embed} puts image rows: {@code OUT.parquet} is a GeoParquet 1.1 table (footprints, pixel windows,
 * the model in the footer; streamed, committed at the end), anything else float32 {@code OUT.npy} with
 * {@code OUT.txt} listing the inputs. Either appears whole or not at all.
 */
final class EmbeddingOutput implements AutoCloseable {
  private final Path out;
  private final GeoParquetWriter parquet;
  private final List<String> keys = new ArrayList<>();
  private final List<float[]> rows = new ArrayList<>();
  private long georeferenced;
  private int dimension;

  private EmbeddingOutput(Path out, GeoParquetWriter parquet) {
    this.out = out;
    this.parquet = parquet;
  }

  static boolean isParquet(Path out) {
    return out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  /**
   * {@code table} describes the rows of a GeoParquet output (ignored for .npy); {@code describe}: gather what
   * {@link #table()} needs for {@code --stac-collection}.
   */
  static EmbeddingOutput open(Path out, TableMetadata table, boolean describe) throws IOException {
    return new EmbeddingOutput(out, isParquet(out) ? GeoParquetWriter.create(out, table, describe) : null);
  }

  /** A row: {@code key} names it in the .npy listing; {@code source} is the image or scene (absolute path or URI). */
  void add(String key, String source, boolean window, Footprint footprint, float[] embedding) throws IOException {
    add(key, source, null, null, window, footprint, embedding);
  }

  /**
   * A row of a scene found in a STAC catalogue ({@code stac} null otherwise), which carries its item, acquired at
   * {@code acquired} (the scene's own time, or null) unless the item gives its time.
   */
  void add(String key, String source, io.remoteclip.stac.StacScene stac, Instant acquired, boolean window,
      Footprint footprint, float[] embedding) throws IOException {
    dimension = embedding.length;
    if (footprint.isGeoreferenced()) {
      georeferenced++;
    }
    if (parquet != null) {
      parquet.write(row(source, stac, acquired, window, footprint, embedding));
    } else {
      keys.add(key);
      rows.add(embedding);
    }
  }

  /**
   * The GeoParquet row of an embedding, with the STAC item's id, collection, asset and datetime when it has one;
   * without an item datetime the row's time is {@code acquired} (the scene's TIFF DateTime, or null).
   */
  static EmbeddingRow row(String source, io.remoteclip.stac.StacScene stac, Instant acquired, boolean window,
      Footprint footprint, float[] embedding) {
    EmbeddingRow row = EmbeddingRow.of(source, window, footprint, embedding);
    Instant itemTime = stac == null ? null : stac.instant();
    Instant time = itemTime != null ? itemTime : acquired;
    if (stac == null && time == null) {
      return row;
    }
    EmbeddingRow.Stac item = stac == null ? null
        : new EmbeddingRow.Stac(stac.itemId(), stac.collection(), stac.assetKey());
    return new EmbeddingRow(row.uniqueId(), row.source(), item, time, row.footprint(), row.embedding());
  }

  /** The GeoParquet table (once committed, for {@code --stac-collection}; opened to describe it), or null for .npy. */
  io.remoteclip.parquet.EmbeddingsStac.Table table() {
    return parquet == null ? null : new io.remoteclip.parquet.EmbeddingsStac.Table(out, parquet.table(), parquet.summary());
  }

  long rows() {
    return parquet != null ? parquet.rows() : rows.size();
  }

  /** Writes (or moves into place) the output; returns the summary line. */
  String commit(boolean normalized) throws IOException, DataFormatException {
    if (parquet != null) {
      parquet.commit();
      return String.format(Locale.ROOT, "wrote %s: GeoParquet, %d rows of %d-dimensional embeddings%s, %d with a footprint",
          out, parquet.rows(), dimension, normalized ? " (L2-normalised)" : "", georeferenced);
    }
    new EmbeddingTable(keys, rows.toArray(new float[0][])).write(out);
    return String.format(Locale.ROOT, "wrote %s: float32 [%d, %d]%s and %s", out, rows.size(), dimension,
        normalized ? " (L2-normalised)" : "", EmbeddingTable.listingOf(out));
  }

  @Override
  public void close() throws IOException {
    if (parquet != null) {
      parquet.close();
    }
  }
}

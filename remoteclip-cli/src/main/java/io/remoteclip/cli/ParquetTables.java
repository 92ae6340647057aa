package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.parquet.GeoParquetEmbeddings;
import io.remoteclip.solr.SolrIndexer;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The command-line side of {@link GeoParquetEmbeddings}: opening an embeddings table with its warnings on
 * stderr (one line each, naming the table), and sending its rows to SolrCloud with a bad row reported as the
 * one-line error it is. Shared by {@code index --from-parquet} and {@code remoteclip-spark embed --solr}.
 */
public final class ParquetTables {
  private ParquetTables() {}

  /** Opens {@code table}; {@code embeddingColumn} and {@code idColumn} may be null (the defaults). */
  public static GeoParquetEmbeddings open(String table, String embeddingColumn, String idColumn, PrintWriter err)
      throws IOException, DataFormatException {
    GeoParquetEmbeddings rows = GeoParquetEmbeddings.open(table, new GeoParquetEmbeddings.Options(embeddingColumn, idColumn,
        w -> err.println("remoteclip: warning: " + w)));
    err.flush();
    return rows;
  }

  /** Every row into the collection through {@code indexer}. */
  public static SolrIndexer.Summary intoSolr(GeoParquetEmbeddings rows, SolrIndexer indexer)
      throws IOException, RemoteClipException {
    try {
      return indexer.indexRecords(rows.iterator());
    } catch (GeoParquetEmbeddings.RowException e) {
      throw e.getCause();
    }
  }
}

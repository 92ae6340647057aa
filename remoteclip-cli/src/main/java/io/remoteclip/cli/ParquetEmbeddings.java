package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.FiniteRows;
import io.remoteclip.NonFiniteEmbeddingException;
import io.remoteclip.index.GeoFootprint;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.IndexMetadata;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Reads an embeddings table written by {@code remoteclip-spark embed} (a Parquet directory, or one file) as
 * index records, row by row. Columns: see remoteclip-spark's {@code Tables}. Document keys: when every row is a
 * {@code file:} path, relative to the rows' deepest common folder (the index's root, as {@code remoteclip index
 * DIR} keys them); otherwise the paths as they are.
 */
public final class ParquetEmbeddings implements Iterator<ImageRecord>, AutoCloseable {
  private static final List<String> REQUIRED = List.of("id", "path", "width", "height", "model_id", "embedding");

  private final String table;
  private final ParquetReader<Group> reader;
  private Group next;
  private long row;
  private final IndexMetadata metadata;
  private final java.nio.file.Path root;

  public ParquetEmbeddings(String table) throws IOException, DataFormatException {
    this.table = table;
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(table);
    Configuration conf = new Configuration();
    if (!path.getFileSystem(conf).exists(path)) {
      throw new java.nio.file.NoSuchFileException(table);
    }
    try {
      this.root = commonRoot(path, conf);
      this.reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build();
      this.next = reader.read();
    } catch (RuntimeException e) {
      throw new DataFormatException(table + ": not a Parquet table: " + ErrorReporter.unwrap(e).getMessage(), e);
    }
    if (next == null) {
      reader.close();
      throw new DataFormatException(table + ": no rows (an empty embeddings table)");
    }
    for (String c : REQUIRED) {
      if (!next.getType().containsField(c)) {
        reader.close();
        throw new DataFormatException(table + ": not an embeddings table (no column " + c + ")");
      }
    }
    metadata = IndexMetadata.of(next.getString("model_id", 0), embedding(next).length)
        .withModelRef(optString(next, "model_ref"), null).withRoot(root);
  }

  /**
   * The deepest folder holding every row's file, or null when a row is not a local file: one pass over the
   * path column alone (Parquet reads no other column).
   */
  private static java.nio.file.Path commonRoot(org.apache.hadoop.fs.Path table, Configuration conf) throws IOException {
    Configuration pathOnly = new Configuration(conf);
    pathOnly.set(org.apache.parquet.hadoop.api.ReadSupport.PARQUET_READ_SCHEMA,
        "message spark_schema { optional binary path (STRING); }");
    java.nio.file.Path common = null;
    try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), table).withConf(pathOnly).build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        String local = localPath(g.getString("path", 0));
        if (local == null) {
          return null;
        }
        java.nio.file.Path dir = java.nio.file.Path.of(local).getParent();
        if (common == null) {
          common = dir;
        }
        while (common != null && !dir.startsWith(common)) {
          common = common.getParent();
        }
        if (common == null) {
          return null;
        }
      }
    }
    return common;
  }

  /** The model of the table's first row (every row must share it), with the root of the keys. */
  public IndexMetadata metadata() {
    return metadata;
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public ImageRecord next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    Group g = next;
    try {
      next = reader.read();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(table + ": " + e.getMessage(), e);
    }
    String footprint = optString(g, "footprint");
    GeoFootprint fp = footprint == null ? null
        : GeoFootprint.fromWkt(footprint, optString(g, "crs"), doubles(g, "footprint_wgs84"));
    return new ImageRecord(keyOf(g.getString("path", 0)), g.getString("model_id", 0), g.getInteger("width", 0),
        g.getInteger("height", 0), optLong(g, "length"), optLong(g, "mtime_ms"), g.getString("id", 0), List.of(), fp,
        finite(embedding(g), row++));
  }

  private String keyOf(String sparkPath) {
    if (root == null) {
      return sparkPath;
    }
    return root.relativize(java.nio.file.Path.of(localPath(sparkPath))).toString().replace('\\', '/');
  }

  /** {@code file:/a/b.jpg} to {@code /a/b.jpg}; null for other schemes. */
  static String localPath(String p) {
    org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(p);
    String scheme = hp.toUri().getScheme();
    return scheme == null || scheme.equals("file") ? hp.toUri().getPath() : null;
  }

  private float[] finite(float[] embedding, long rowIndex) {
    if (!FiniteRows.isFinite(embedding)) {
      throw new NonFiniteEmbeddingException(FiniteRows.problem(table, "embedding row " + rowIndex));
    }
    return embedding;
  }

  /** Spark's three-level list: {@code embedding.list[i].element}. */
  private static float[] embedding(Group g) {
    Group list = g.getGroup("embedding", 0);
    int n = list.getFieldRepetitionCount(0);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = list.getGroup(0, i).getFloat(0, 0);
    }
    return out;
  }

  /** An optional Spark list of doubles ({@code field.list[i].element}), or null. */
  private static double[] doubles(Group g, String field) {
    if (!g.getType().containsField(field) || g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    Group list = g.getGroup(field, 0);
    double[] out = new double[list.getFieldRepetitionCount(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getGroup(0, i).getDouble(0, 0);
    }
    return out;
  }

  private static String optString(Group g, String field) {
    return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0 ? g.getString(field, 0) : null;
  }

  private static long optLong(Group g, String field) {
    return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0 ? g.getLong(field, 0) : 0;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}

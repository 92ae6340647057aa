package io.remoteclip.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Adds key-value metadata to the footers of Parquet files another writer made (Spark, which cannot write the
 * GeoParquet {@code geo} key): the row groups are copied byte for byte ({@link ParquetFileWriter#appendFile}, no
 * decoding or re-encoding) into a hidden sibling with the new footer, which then replaces the file.
 *
 * <p>Safe to kill at any moment and to run again: the sibling is hidden ({@code .name.footer}; Hadoop, Spark and
 * DuckDB's globs skip dot files), the file is replaced by an overwriting rename where the file system has one,
 * else deleted first; a sibling whose file is gone is the finished copy of a pass killed between the two and is
 * renamed into place by the next pass, one whose file is still there is a torn copy and is removed. A file that
 * already has the keys is left alone, so the pass after a kill finishes the files the killed one did not reach.
 */
public final class FooterMetadata {
  static final String SUFFIX = ".footer";

  private FooterMetadata() {}

  /** What a pass did. */
  public record Pass(int rewritten, int alreadyDone, int recovered) {}

  /**
   * Gives every Parquet part file of the table folder {@code table} (names not starting with '.' or '_') the
   * {@code geo} key of its own rows ({@link #geoFromStatistics}) and {@code remoteclip} = {@code table}'s.
   */
  public static Pass completeTable(Configuration conf, Path table, TableMetadata metadata) throws IOException {
    FileSystem fs = table.getFileSystem(conf);
    int recovered = recoverInterrupted(fs, table);
    int rewritten = 0;
    int done = 0;
    for (FileStatus s : fs.listStatus(table)) {
      String name = s.getPath().getName();
      if (!s.isFile() || name.startsWith(".") || name.startsWith("_") || !name.endsWith(".parquet")) {
        continue;
      }
      ParquetMetadata footer = footer(conf, s.getPath());
      if (footer.getFileMetaData().getKeyValueMetaData().containsKey(GeoMetadata.KEY)) {
        done++;
        continue;
      }
      Map<String, String> keys = new LinkedHashMap<>();
      keys.put(GeoMetadata.KEY, geoFromStatistics(footer, EmbeddingSchema.GEOMETRY, EmbeddingSchema.BBOX).toJson());
      keys.put(TableMetadata.KEY, metadata.toJson());
      rewrite(conf, s.getPath(), footer, keys);
      rewritten++;
    }
    return new Pass(rewritten, done, recovered);
  }

  /**
   * The {@code geo} key of a file whose {@code bbox} struct column covers {@code geometry}: its bounding box from
   * the row groups' min/max statistics of {@code bbox.xmin} .. {@code bbox.ymax} (the footer alone, no data read),
   * geometry types {@code Polygon} when any row has a box.
   */
  public static GeoMetadata geoFromStatistics(ParquetMetadata footer, String geometry, String bbox) {
    double[] box = null;
    for (BlockMetaData block : footer.getBlocks()) {
      double[] b = new double[4];
      boolean complete = true;
      for (ColumnChunkMetaData c : block.getColumns()) {
        String[] path = c.getPath().toArray();
        if (path.length != 2 || !path[0].equals(bbox)) {
          continue;
        }
        Statistics<?> st = c.getStatistics();
        if (st == null || !st.hasNonNullValue() || !(st.genericGetMin() instanceof Number)) {
          complete = false;
          continue;
        }
        switch (path[1]) {
          case "xmin" -> b[0] = ((Number) st.genericGetMin()).doubleValue();
          case "ymin" -> b[1] = ((Number) st.genericGetMin()).doubleValue();
          case "xmax" -> b[2] = ((Number) st.genericGetMax()).doubleValue();
          case "ymax" -> b[3] = ((Number) st.genericGetMax()).doubleValue();
          default -> { }
        }
      }
      if (complete && block.getRowCount() > 0) {
        box = Geometries.union(box, b);
      }
    }
    return GeoMetadata.of(geometry, box == null ? List.of() : List.of("Polygon"), box, bbox);
  }

  static ParquetMetadata footer(Configuration conf, Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      return r.getFooter();
    }
  }

  /** Copies {@code file}'s row groups under a footer with its keys and {@code keys}, then replaces it. */
  static void rewrite(Configuration conf, Path file, ParquetMetadata footer, Map<String, String> keys) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    Path copy = new Path(file.getParent(), "." + file.getName() + SUFFIX);
    Map<String, String> all = new LinkedHashMap<>(footer.getFileMetaData().getKeyValueMetaData());
    all.putAll(keys);
    ParquetFileWriter w = new ParquetFileWriter(HadoopOutputFile.fromPath(copy, conf), footer.getFileMetaData().getSchema(),
        ParquetFileWriter.Mode.OVERWRITE, ParquetWriterDefaults.ROW_GROUP_SIZE, ParquetWriterDefaults.MAX_PADDING);
    w.start();
    w.appendFile(HadoopInputFile.fromPath(file, conf));
    w.end(all);
    replace(fs, conf, copy, file);
  }

  private static void replace(FileSystem fs, Configuration conf, Path copy, Path file) throws IOException {
    try {
      FileContext.getFileContext(file.toUri(), conf).rename(copy, file, Options.Rename.OVERWRITE);
      return;
    } catch (UnsupportedFileSystemException | UnsupportedOperationException e) {
      // no overwriting rename here (object stores): delete, then rename; a kill between the two is recovered
    }
    fs.delete(file, false);
    if (!fs.rename(copy, file)) {
      throw new IOException("could not rename " + copy + " to " + file);
    }
  }

  /** Finishes or discards the copies of a killed pass; returns how many were finished. */
  private static int recoverInterrupted(FileSystem fs, Path table) throws IOException {
    int recovered = 0;
    List<FileStatus> copies = new ArrayList<>();
    for (FileStatus s : fs.listStatus(table)) {
      String n = s.getPath().getName();
      if (n.startsWith(".") && n.endsWith(SUFFIX) && !n.endsWith(".crc")) {
        copies.add(s);
      }
    }
    for (FileStatus s : copies) {
      String n = s.getPath().getName();
      Path file = new Path(table, n.substring(1, n.length() - SUFFIX.length()));
      if (fs.exists(file)) {
        fs.delete(s.getPath(), false);
      } else if (fs.rename(s.getPath(), file)) {
        recovered++;
      }
    }
    return recovered;
  }

  /** parquet-java's defaults for the copy's block layout (row groups are copied as they are). */
  private static final class ParquetWriterDefaults {
    static final long ROW_GROUP_SIZE = org.apache.parquet.hadoop.ParquetWriter.DEFAULT_BLOCK_SIZE;
    static final int MAX_PADDING = org.apache.parquet.hadoop.ParquetWriter.MAX_PADDING_SIZE_DEFAULT;
  }
}

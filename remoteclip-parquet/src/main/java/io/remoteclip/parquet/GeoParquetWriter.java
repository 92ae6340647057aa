package io.remoteclip.parquet;

import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.geo.Footprint;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes a GeoParquet 1.1 embeddings table ({@link EmbeddingSchema}) to one file, atomically: rows go to a
 * hidden sibling and {@link #commit()} moves the finished file into place, so readers see the old file or the
 * whole new one, and a failed or killed run leaves the target untouched. zstd, row groups of at most
 * {@link EmbeddingSchema#ROW_GROUP_ROWS} rows and {@link EmbeddingSchema#ROW_GROUP_BYTES} bytes. The footer gets
 * {@code geo} (with the bounding box of the rows written) and {@code remoteclip} ({@link TableMetadata}).
 */
public final class GeoParquetWriter implements AutoCloseable {
  /**
   * zstd level 3 (parquet-java's and Spark's default). The distribution guide asks for 15 or more, but float
   * embeddings do not compress further: 100,000 rows of 512 floats made the same 193.7 MB file at 3 and 15,
   * written in 17 s instead of 61 s (docs/architecture.md).
   */
  static final int ZSTD_LEVEL = 3;

  private final Path target;
  private final Path staging;
  private final TableMetadata table;
  private final RowWriteSupport support;
  private final ParquetWriter<EmbeddingRow> writer;
  /** Null unless asked for: a table of a million images would hold a million sources on the heap. */
  private final TableSummary summary;
  private long rows;
  private boolean closed;

  private GeoParquetWriter(Path target, Path staging, TableMetadata table, boolean summarize) throws IOException {
    this.summary = summarize ? new TableSummary() : null;
    this.target = target;
    this.staging = staging;
    this.table = table;
    this.support = new RowWriteSupport(table);
    Configuration conf = new Configuration(false);
    conf.setInt("parquet.compression.codec.zstd.level", ZSTD_LEVEL);
    this.writer = new Builder(new LocalOutputFile(staging), support).withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withRowGroupSize(EmbeddingSchema.ROW_GROUP_BYTES)
        .withRowGroupRowCountLimit(EmbeddingSchema.ROW_GROUP_ROWS)
        .build();
  }

  /** Starts a table that {@link #commit()} will put at {@code target}. */
  public static GeoParquetWriter create(Path target, TableMetadata table) throws IOException {
    return create(target, table, false);
  }

  /**
   * Starts a table that {@link #commit()} will put at {@code target}; with {@code summarize}, also gathers the
   * per-source {@link #summary()} that a STAC description of the table needs.
   */
  public static GeoParquetWriter create(Path target, TableMetadata table, boolean summarize) throws IOException {
    AtomicFiles.requireNotDirectory(target);
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path staging = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      return new GeoParquetWriter(target, staging, table, summarize);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(staging);
      throw e;
    }
  }

  public TableMetadata table() {
    return table;
  }

  public void write(EmbeddingRow row) throws IOException {
    if (row.embedding().length != table.dimension()) {
      throw new IllegalArgumentException(row.source() + ": embedding of " + row.embedding().length
          + " values in a table of dimension " + table.dimension());
    }
    writer.write(row);
    if (summary != null) {
      summary.add(row);
    }
    rows++;
  }

  public long rows() {
    return rows;
  }

  /** The rows written so far, per source (for a STAC description of the table); needs {@code summarize}. */
  public TableSummary summary() {
    if (summary == null) {
      throw new IllegalStateException(target + ": this writer was created without a summary");
    }
    return summary;
  }

  /** Finishes the file and moves it to the target. */
  public void commit() throws IOException {
    if (closed) {
      throw new IllegalStateException("already closed");
    }
    closed = true;
    try {
      writer.close();
      Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      AtomicFiles.moveAtomically(staging, target);
    } finally {
      Files.deleteIfExists(staging);
    }
  }

  /** Without {@link #commit()}: abandons the table, leaving the target as it was. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } finally {
      Files.deleteIfExists(staging);
    }
  }

  private static final class Builder extends ParquetWriter.Builder<EmbeddingRow, Builder> {
    private final RowWriteSupport support;

    Builder(OutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<EmbeddingRow> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /** Row to Parquet record, and the footer keys from what was written. */
  private static final class RowWriteSupport extends WriteSupport<EmbeddingRow> {
    private final TableMetadata table;
    private RecordConsumer out;
    private double[] bbox;

    RowWriteSupport(TableMetadata table) {
      this.table = table;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(EmbeddingSchema.SCHEMA, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
      Map<String, String> extra = new HashMap<>();
      extra.put(GeoMetadata.KEY, GeoMetadata.of(EmbeddingSchema.GEOMETRY, bbox == null ? List.of() : List.of("Polygon"),
          bbox, EmbeddingSchema.BBOX).toJson());
      extra.put(TableMetadata.KEY, table.toJson());
      return new FinalizedWriteContext(extra);
    }

    @Override
    public void write(EmbeddingRow row) {
      Footprint fp = row.footprint();
      out.startMessage();
      string(0, EmbeddingSchema.UNIQUE_ID, row.uniqueId());
      string(1, EmbeddingSchema.SOURCE, row.source());
      EmbeddingRow.Stac stac = row.stac();
      if (stac != null) {
        string(2, EmbeddingSchema.PRODUCT_ID, stac.item());
        string(3, EmbeddingSchema.STAC_COLLECTION, stac.collection());
        string(4, EmbeddingSchema.STAC_ASSET, stac.asset());
      }
      if (row.timestamp() != null) {
        Instant t = row.timestamp();
        out.startField(EmbeddingSchema.TIMESTAMP, 5);
        out.addLong(ChronoUnit.MICROS.between(Instant.EPOCH, t));
        out.endField(EmbeddingSchema.TIMESTAMP, 5);
      }
      Rectangle w = fp.window();
      list(6, EmbeddingSchema.PIXEL_BBOX, () -> {
        for (int v : new int[] {w.x, w.y, w.x + w.width, w.y + w.height}) {
          element(() -> out.addInteger(v));
        }
      });
      if (fp.isGeoreferenced()) {
        Polygon geometry = Geometries.polygon(fp.lonLatRing());
        string(7, EmbeddingSchema.UTM_CRS, fp.crs());
        string(8, EmbeddingSchema.UTM_FOOTPRINT, Geometries.wkt(Geometries.polygon(fp.nativeRing())));
        Point centre = geometry.getCentroid();
        number(9, EmbeddingSchema.CENTRE_LAT, centre.getY());
        number(10, EmbeddingSchema.CENTRE_LON, centre.getX());
        out.startField(EmbeddingSchema.GEOMETRY, 11);
        out.addBinary(Binary.fromConstantByteArray(Geometries.wkb(geometry)));
        out.endField(EmbeddingSchema.GEOMETRY, 11);
        double[] b = Geometries.box(geometry);
        bbox = Geometries.union(bbox, b);
        out.startField(EmbeddingSchema.BBOX, 12);
        out.startGroup();
        String[] names = {"xmin", "ymin", "xmax", "ymax"};
        for (int i = 0; i < 4; i++) {
          number(i, names[i], b[i]);
        }
        out.endGroup();
        out.endField(EmbeddingSchema.BBOX, 12);
      }
      float[] e = row.embedding();
      list(13, EmbeddingSchema.EMBEDDING, () -> {
        for (float v : e) {
          element(() -> out.addFloat(v));
        }
      });
      out.endMessage();
    }

    private void string(int index, String name, String value) {
      if (value != null) {
        out.startField(name, index);
        out.addBinary(Binary.fromString(value));
        out.endField(name, index);
      }
    }

    private void number(int index, String name, double value) {
      out.startField(name, index);
      out.addDouble(value);
      out.endField(name, index);
    }

    /** The three-level LIST: {@code name.list[i].element}. */
    private void list(int index, String name, Runnable elements) {
      out.startField(name, index);
      out.startGroup();
      out.startField("list", 0);
      elements.run();
      out.endField("list", 0);
      out.endGroup();
      out.endField(name, index);
    }

    private void element(Runnable value) {
      out.startGroup();
      out.startField("element", 0);
      value.run();
      out.endField("element", 0);
      out.endGroup();
    }
  }
}

package io.remoteclip.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Column names and schemas of the tables the jobs read and write; the layout lives here and nowhere else.
 *
 * <p>Embeddings: {@code id} (lower-case hex SHA-256 of the file bytes), {@code path} (as Spark lists it, e.g.
 * {@code file:/data/a.jpg}), {@code product_id}, {@code stac_collection}, {@code stac_asset} and
 * {@code timestamp} (the STAC item id, collection, asset key and datetime of a scene read with {@code --stac},
 * the names {@code remoteclip embed} writes; null otherwise; the timestamp as Parquet's TIMESTAMP_MICROS, UTC),
 * {@code length} and {@code mtime_ms} (size and modification time of the file, ms since the epoch: plain
 * numbers, so readers without Spark's INT96 timestamps need no conversion), {@code width} and
 * {@code height} (pixels), {@code footprint} (WKT polygon of a GeoTIFF's bounds) and {@code crs} ("EPSG:n"),
 * both null when not georeferenced, {@code footprint_wgs84} (minLon, minLat, maxLon, maxLat; null when
 * not reprojectable), {@code geometry} (WKB polygon of the footprint's corners in OGC:CRS84) and {@code bbox}
 * (struct xmin, ymin, xmax, ymax of it), the GeoParquet 1.1 columns whose {@code geo} footer key the job adds
 * after each commit ({@code FooterMetadata}), {@code model_id} (the encoder identity), {@code model_ref} (how to load
 * the model again: registry name or absolute path), {@code normalized} and {@code embedding}
 * (array&lt;float&gt;). A row is one (id, path): identical bytes under two paths are two rows.
 */
final class Tables {
  static final String ID = "id";
  static final String PATH = "path";
  static final String PRODUCT_ID = io.remoteclip.parquet.EmbeddingSchema.PRODUCT_ID;
  static final String STAC_COLLECTION = io.remoteclip.parquet.EmbeddingSchema.STAC_COLLECTION;
  static final String STAC_ASSET = io.remoteclip.parquet.EmbeddingSchema.STAC_ASSET;
  static final String TIMESTAMP = io.remoteclip.parquet.EmbeddingSchema.TIMESTAMP;
  static final String LENGTH = "length";
  static final String MTIME_MS = "mtime_ms";
  static final String WIDTH = "width";
  static final String HEIGHT = "height";
  static final String FOOTPRINT = "footprint";
  static final String CRS = "crs";
  static final String FOOTPRINT_WGS84 = "footprint_wgs84";
  static final String GEOMETRY = io.remoteclip.parquet.EmbeddingSchema.GEOMETRY;
  static final String BBOX = io.remoteclip.parquet.EmbeddingSchema.BBOX;
  static final String MODEL_ID = "model_id";
  static final String MODEL_REF = "model_ref";
  static final String NORMALIZED = "normalized";
  static final String EMBEDDING = "embedding";
  static final String ERROR = "error";
  static final String REASON = "reason";
  static final String LABELS = "labels";
  static final String SCORES = "scores";

  /**
   * Spark's binaryFile columns, plus the reason a file could not be read (table inputs) and the STAC item of an
   * image named by {@code --stac} (null otherwise).
   */
  static final String SRC_PATH = "path";
  static final String SRC_MTIME = "modificationTime";
  static final String SRC_LENGTH = "length";
  static final String SRC_CONTENT = "content";
  static final String SRC_READ_ERROR = "read_error";

  static final StructType SOURCE = new StructType(new StructField[] {
      DataTypes.createStructField(SRC_PATH, DataTypes.StringType, false),
      DataTypes.createStructField(SRC_MTIME, DataTypes.TimestampType, true),
      DataTypes.createStructField(SRC_LENGTH, DataTypes.LongType, true),
      DataTypes.createStructField(SRC_CONTENT, DataTypes.BinaryType, true),
      DataTypes.createStructField(SRC_READ_ERROR, DataTypes.StringType, true),
      DataTypes.createStructField(PRODUCT_ID, DataTypes.StringType, true),
      DataTypes.createStructField(STAC_COLLECTION, DataTypes.StringType, true),
      DataTypes.createStructField(STAC_ASSET, DataTypes.StringType, true),
      DataTypes.createStructField(TIMESTAMP, DataTypes.TimestampType, true)});

  /** What {@link #SOURCE} rows are read from: where each image is, and its STAC item's columns (null without). */
  static final StructType LOCATIONS = new StructType(java.util.Arrays.stream(SOURCE.fields())
      .filter(f -> f.name().equals(SRC_PATH) || java.util.List.of(PRODUCT_ID, STAC_COLLECTION, STAC_ASSET, TIMESTAMP)
          .contains(f.name()))
      .toArray(StructField[]::new));

  static final StructType EMBEDDINGS = new StructType(new StructField[] {
      DataTypes.createStructField(ID, DataTypes.StringType, false),
      DataTypes.createStructField(PATH, DataTypes.StringType, false),
      DataTypes.createStructField(PRODUCT_ID, DataTypes.StringType, true),
      DataTypes.createStructField(STAC_COLLECTION, DataTypes.StringType, true),
      DataTypes.createStructField(STAC_ASSET, DataTypes.StringType, true),
      DataTypes.createStructField(TIMESTAMP, DataTypes.TimestampType, true),
      DataTypes.createStructField(LENGTH, DataTypes.LongType, true),
      DataTypes.createStructField(MTIME_MS, DataTypes.LongType, true),
      DataTypes.createStructField(WIDTH, DataTypes.IntegerType, false),
      DataTypes.createStructField(HEIGHT, DataTypes.IntegerType, false),
      DataTypes.createStructField(FOOTPRINT, DataTypes.StringType, true),
      DataTypes.createStructField(CRS, DataTypes.StringType, true),
      DataTypes.createStructField(FOOTPRINT_WGS84, DataTypes.createArrayType(DataTypes.DoubleType, false), true),
      DataTypes.createStructField(GEOMETRY, DataTypes.BinaryType, true),
      DataTypes.createStructField(BBOX, new StructType(new StructField[] {
          DataTypes.createStructField("xmin", DataTypes.DoubleType, false),
          DataTypes.createStructField("ymin", DataTypes.DoubleType, false),
          DataTypes.createStructField("xmax", DataTypes.DoubleType, false),
          DataTypes.createStructField("ymax", DataTypes.DoubleType, false)}), true),
      DataTypes.createStructField(MODEL_ID, DataTypes.StringType, false),
      DataTypes.createStructField(MODEL_REF, DataTypes.StringType, true),
      DataTypes.createStructField(NORMALIZED, DataTypes.BooleanType, false),
      DataTypes.createStructField(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false)});

  /** What the encode stage emits: an embeddings row, or (embedding null) an image that could not be read. */
  static final StructType ENCODED = relaxed(EMBEDDINGS).add(ERROR, DataTypes.StringType, true);

  static final StructType ERRORS = new StructType(new StructField[] {
      DataTypes.createStructField(PATH, DataTypes.StringType, false),
      DataTypes.createStructField(ID, DataTypes.StringType, true),
      DataTypes.createStructField(REASON, DataTypes.StringType, false),
      DataTypes.createStructField(MODEL_ID, DataTypes.StringType, true)});

  static final StructType CLASSIFIED = new StructType(new StructField[] {
      DataTypes.createStructField(ID, DataTypes.StringType, false),
      DataTypes.createStructField(PATH, DataTypes.StringType, false),
      DataTypes.createStructField(MODEL_ID, DataTypes.StringType, false),
      DataTypes.createStructField(LABELS, DataTypes.createArrayType(DataTypes.StringType, false), false),
      DataTypes.createStructField(SCORES, DataTypes.createArrayType(DataTypes.FloatType, false), false)});

  private Tables() {}

  private static StructType relaxed(StructType t) {
    StructField[] out = new StructField[t.fields().length];
    for (int i = 0; i < out.length; i++) {
      StructField f = t.fields()[i];
      out[i] = DataTypes.createStructField(f.name(), f.dataType(), true);
    }
    return new StructType(out);
  }
}

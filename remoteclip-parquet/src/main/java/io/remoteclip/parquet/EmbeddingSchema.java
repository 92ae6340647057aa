package io.remoteclip.parquet;

import static org.apache.parquet.schema.LogicalTypeAnnotation.listType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timestampType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * The columns of the embedding tables {@code embed} and {@code scan} write; the layout lives here and nowhere
 * else. Names and meanings follow Major TOM's embedding tables where they have the column:
 *
 * <ul>
 *   <li>{@code unique_id}: 64 hex digits, SHA-256 of the source and pixel window ({@link EmbeddingRow#idOf})
 *   <li>{@code source}: the image or scene, as given (path or URI)
 *   <li>{@code product_id}, {@code stac_collection}, {@code stac_asset}: the STAC item id (Major TOM's product
 *       id is the Sentinel product, which is what STAC items of those collections are named), its collection
 *       and asset key; null without STAC
 *   <li>{@code timestamp}: acquisition time, UTC (Major TOM writes the text {@code yyyyMMdd'T'HHmmss}; here a
 *       Parquet timestamp); null when unknown
 *   <li>{@code pixel_bbox}: {@code [col_start, row_start, col_end, row_end]}, ends exclusive, as Major TOM
 *   <li>{@code utm_crs}, {@code utm_footprint}: the native CRS ("EPSG:n") and the footprint in it as WKT (Major
 *       TOM's names; the CRS is whatever the scene's is, UTM for Sentinel-2)
 *   <li>{@code centre_lat}, {@code centre_lon}: centroid of the footprint, degrees
 *   <li>{@code geometry}: WKB polygon in OGC:CRS84, counter-clockwise; null for images without georeferencing
 *   <li>{@code bbox}: struct {@code xmin, ymin, xmax, ymax} of the geometry (GeoParquet 1.1 covering)
 *   <li>{@code embedding}: list&lt;float&gt;
 * </ul>
 */
public final class EmbeddingSchema {
  public static final String UNIQUE_ID = "unique_id";
  public static final String SOURCE = "source";
  public static final String PRODUCT_ID = "product_id";
  public static final String STAC_COLLECTION = "stac_collection";
  public static final String STAC_ASSET = "stac_asset";
  public static final String TIMESTAMP = "timestamp";
  public static final String PIXEL_BBOX = "pixel_bbox";
  public static final String UTM_CRS = "utm_crs";
  public static final String UTM_FOOTPRINT = "utm_footprint";
  public static final String CENTRE_LAT = "centre_lat";
  public static final String CENTRE_LON = "centre_lon";
  public static final String GEOMETRY = "geometry";
  public static final String BBOX = "bbox";
  public static final String EMBEDDING = "embedding";

  /** Rows per row group at most: the GeoParquet distribution guide's 50,000 to 150,000 rows. */
  public static final int ROW_GROUP_ROWS = 100_000;
  /** Bytes per row group at most: the same guide's 128 to 256 MB, for wide embeddings. */
  public static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;

  private EmbeddingSchema() {}

  public static final MessageType SCHEMA = Types.buildMessage()
      .required(BINARY).as(stringType()).named(UNIQUE_ID)
      .required(BINARY).as(stringType()).named(SOURCE)
      .optional(BINARY).as(stringType()).named(PRODUCT_ID)
      .optional(BINARY).as(stringType()).named(STAC_COLLECTION)
      .optional(BINARY).as(stringType()).named(STAC_ASSET)
      .optional(INT64).as(timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(TIMESTAMP)
      .requiredGroup().as(listType())
          .repeatedGroup().required(INT32).named("element").named("list")
          .named(PIXEL_BBOX)
      .optional(BINARY).as(stringType()).named(UTM_CRS)
      .optional(BINARY).as(stringType()).named(UTM_FOOTPRINT)
      .optional(DOUBLE).named(CENTRE_LAT)
      .optional(DOUBLE).named(CENTRE_LON)
      .optional(BINARY).named(GEOMETRY)
      .optionalGroup()
          .required(DOUBLE).named("xmin").required(DOUBLE).named("ymin")
          .required(DOUBLE).named("xmax").required(DOUBLE).named("ymax")
          .named(BBOX)
      .requiredGroup().as(listType())
          .repeatedGroup().required(FLOAT).named("element").named("list")
          .named(EMBEDDING)
      .named("remoteclip_embeddings");
}

package io.remoteclip.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.geo.Footprint;
import io.remoteclip.index.ImageRecord;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables read as index records: ours (model loadable), and third-party layouts written by another Parquet writer
 * (DuckDB) with the column names Major TOM, Earth Index and Clay use; and the one-line refusals.
 */
class GeoParquetEmbeddingsTest {
  @TempDir Path tmp;

  private static List<ImageRecord> all(GeoParquetEmbeddings t) throws Exception {
    List<ImageRecord> out = new ArrayList<>();
    for (ImageRecord r = t.read(); r != null; r = t.read()) {
      out.add(r);
    }
    return out;
  }

  private static String ring(double lon, double lat) {
    double[][] r = {{lon, lat}, {lon + 0.1, lat}, {lon + 0.1, lat + 0.1}, {lon, lat + 0.1}, {lon, lat}};
    return "from_hex('" + HexFormat.of().formatHex(Wkb.polygon(r)) + "')";
  }

  /** A table as another tool writes it: {@code select} gives the columns, {@code geo} the footer key (or null). */
  private Path thirdParty(String name, String select, String geo) throws Exception {
    Path f = tmp.resolve(name);
    try (DuckDb db = new DuckDb()) {
      db.execute("COPY (" + select + ") TO " + DuckDb.literal(f) + " (FORMAT PARQUET"
          + (geo == null ? "" : ", KV_METADATA {geo: " + DuckDb.literal(geo) + "}") + ")");
    }
    return f;
  }

  private static final String GEO = "{\"version\":\"1.0.0\",\"primary_column\":\"geometry\",\"columns\":{\"geometry\":"
      + "{\"encoding\":\"WKB\",\"geometry_types\":[\"Polygon\"]}}}";

  @Test
  void oursWithItsModel() throws Exception {
    Path out = tmp.resolve("scenes/t.parquet");
    java.nio.file.Files.createDirectories(tmp.resolve("scenes/a"));
    TableMetadata meta = TableMetadata.of("enc", "/m/model.pt", "/m/vocab.txt.gz", 2, true).withWindows(10, 10);
    try (GeoParquetWriter w = GeoParquetWriter.create(out, meta)) {
      w.write(EmbeddingRow.of(tmp.resolve("scenes/a/s.tif").toString(), true,
          Footprint.of(new Rectangle(10, 0, 10, 10), null), new float[] {1, 2}));
      w.commit();
    }
    try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(out.toString(), GeoParquetEmbeddings.Options.defaults(w -> {}))) {
      assertEquals(GeoParquetEmbeddings.Layout.REMOTECLIP, t.layout());
      assertTrue(t.modelLoadable());
      assertEquals("enc", t.metadata().modelId());
      assertEquals("/m/vocab.txt.gz", t.metadata().vocab());
      List<ImageRecord> rows = all(t);
      assertEquals("s.tif#x=10,y=0,w=10,h=10", rows.get(0).path(), "keyed relative to the sources' folder, window suffix");
      assertEquals(tmp.resolve("scenes/a").toString(), t.metadata().root());
      assertNull(rows.get(0).footprint());
    }
  }

  @Test
  void majorTomLayout() throws Exception {
    Path f = thirdParty("majortom.parquet", "SELECT * FROM (VALUES ('a1', [0.5, 0.25, 1.0]::FLOAT[], " + ring(12.0, 45.0)
        + ", '20230119T161811', 'S2A_MSIL2A_X'), ('b2', [1.0, 0.0, 0.0]::FLOAT[], " + ring(13.0, 46.0)
        + ", '20230119T161811', 'S2A_MSIL2A_X')) t(unique_id, embedding, geometry, timestamp, product_id)", GEO);
    List<String> warnings = new ArrayList<>();
    try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(f.toString(), GeoParquetEmbeddings.Options.defaults(warnings::add))) {
      assertEquals(GeoParquetEmbeddings.Layout.THIRD_PARTY, t.layout());
      assertEquals("external:3d", t.metadata().modelId());
      assertTrue(!t.modelLoadable());
      List<ImageRecord> rows = all(t);
      assertEquals(List.of("a1", "b2"), rows.stream().map(ImageRecord::path).toList());
      assertArrayEquals(new float[] {0.5f, 0.25f, 1.0f}, rows.get(0).embedding());
      assertArrayEquals(new double[] {13.0, 46.0, 13.1, 46.1}, rows.get(1).footprint().lonLat(), 1e-12);
      assertEquals(4326, rows.get(1).footprint().epsg());
    }
    assertEquals(List.of(), warnings);
  }

  @Test
  void clayLayoutWithDoublesAndNoId() throws Exception {
    Path f = thirdParty("32VLM_v01.gpq", "SELECT * FROM (VALUES ('s3://b/claytile_1.tif', DATE '2021-01-01', [0.1, 0.2]::DOUBLE[], "
        + ring(5.0, 60.0) + "), ('s3://b/claytile_2.tif', DATE '2021-06-30', [0.3, 0.4]::DOUBLE[], " + ring(5.1, 60.0)
        + ")) t(source_url, date, embeddings, geometry)", GEO);
    try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(f.toString(), GeoParquetEmbeddings.Options.defaults(w -> {}))) {
      List<ImageRecord> rows = all(t);
      assertEquals(List.of("32VLM_v01.gpq#0", "32VLM_v01.gpq#1"), rows.stream().map(ImageRecord::path).toList(),
          "no id column: the row's position");
      assertArrayEquals(new float[] {0.3f, 0.4f}, rows.get(1).embedding());
    }
    try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(f.toString(),
        new GeoParquetEmbeddings.Options("embeddings", "source_url", w -> {}))) {
      assertEquals("s3://b/claytile_2.tif", all(t).get(1).path());
    }
  }

  @Test
  void pointGeometriesAreIndexedAndFound() throws Exception {
    String points = "SELECT * FROM (VALUES ('p1', [1.0, 0.0]::FLOAT[], from_hex('" + HexFormat.of().formatHex(Wkb.point(8.5, 47.4))
        + "')), ('p2', [0.0, 1.0]::FLOAT[], from_hex('" + HexFormat.of().formatHex(Wkb.point(9.5, 47.4)) + "'))) t(id, embedding, geometry)";
    Path f = thirdParty("points.parquet", points, GEO.replace("Polygon", "Point"));
    Path dir = tmp.resolve("points-idx");
    try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(f.toString(), GeoParquetEmbeddings.Options.defaults(w -> {}));
        io.remoteclip.index.ImageIndexWriter w = io.remoteclip.index.ImageIndexWriter.open(dir, t.metadata())) {
      for (ImageRecord r = t.read(); r != null; r = t.read()) {
        w.put(r);
      }
    }
    try (io.remoteclip.index.ImageIndex idx = io.remoteclip.index.ImageIndex.open(dir)) {
      var hits = idx.nearest(new float[] {0, 1}, 5, io.remoteclip.index.SearchFilter.NONE.withGeo(
          io.remoteclip.index.GeoArea.parseBox("8,47,9,48")), true, 10);
      assertEquals(List.of("p1"), hits.stream().map(io.remoteclip.index.SearchHit::path).toList());
    }
  }

  @Test
  void withoutGeoKeyWarnsAndReadsGeometryAsLonLat() throws Exception {
    Path f = thirdParty("plain.parquet", "SELECT 'x' AS id, [1.0, 2.0]::FLOAT[] AS embedding, " + ring(1.0, 2.0) + " AS geometry", null);
    List<String> warnings = new ArrayList<>();
    try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(f.toString(), GeoParquetEmbeddings.Options.defaults(warnings::add))) {
      assertArrayEquals(new double[] {1.0, 2.0, 1.1, 2.1}, all(t).get(0).footprint().lonLat(), 1e-12);
    }
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith(f + ": no GeoParquet 'geo' metadata"), warnings.get(0));
  }

  @Test
  void refusalsNameTheFile() throws Exception {
    Path ragged = thirdParty("ragged.parquet", "SELECT * FROM (VALUES ('a', [1.0, 2.0]::FLOAT[], " + ring(0, 0) + "), ('b', [1.0]::FLOAT[], "
        + ring(0, 0) + ")) t(id, embedding, geometry)", GEO);
    DataFormatException e = assertThrows(DataFormatException.class, () -> {
      try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(ragged.toString(), GeoParquetEmbeddings.Options.defaults(w -> {}))) {
        all(t);
      }
    });
    assertEquals(ragged + ": row 1: embedding of 1 values; the table's first row has 2", e.getMessage());

    e = assertThrows(DataFormatException.class, () -> GeoParquetEmbeddings.open(ragged.toString(),
        new GeoParquetEmbeddings.Options("vector", null, w -> {})));
    assertEquals(ragged + ": no column vector (--embedding-column); columns: id, embedding, geometry", e.getMessage());

    Path noEmbedding = thirdParty("noemb.parquet", "SELECT 'a' AS id, " + ring(0, 0) + " AS geometry", GEO);
    e = assertThrows(DataFormatException.class, () -> GeoParquetEmbeddings.open(noEmbedding.toString(),
        GeoParquetEmbeddings.Options.defaults(w -> {})));
    assertTrue(e.getMessage().startsWith(noEmbedding + ": no column embedding or embeddings"), e.getMessage());

    String utm = GEO.replace("\"encoding\"", "\"crs\":{\"id\":{\"authority\":\"EPSG\",\"code\":32633}},\"encoding\"");
    Path projected = thirdParty("utm.parquet", "SELECT 'a' AS id, [1.0]::FLOAT[] AS embedding, " + ring(0, 0) + " AS geometry", utm);
    e = assertThrows(DataFormatException.class, () -> GeoParquetEmbeddings.open(projected.toString(),
        GeoParquetEmbeddings.Options.defaults(w -> {})));
    assertTrue(e.getMessage().startsWith(projected + ": geometry column geometry is in EPSG:32633"), e.getMessage());

    Path notParquet = tmp.resolve("x.parquet");
    java.nio.file.Files.writeString(notParquet, "not parquet");
    e = assertThrows(DataFormatException.class, () -> GeoParquetEmbeddings.open(notParquet.toString(),
        GeoParquetEmbeddings.Options.defaults(w -> {})));
    assertTrue(e.getMessage().toLowerCase(Locale.ROOT).startsWith(notParquet.toString().toLowerCase(Locale.ROOT) + ": not a parquet file"),
        e.getMessage());
  }
}

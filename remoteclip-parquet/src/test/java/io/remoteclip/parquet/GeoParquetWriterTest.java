package io.remoteclip.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.Gdal;
import io.remoteclip.geo.GeoTiffWriter;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.testing.SampleImages;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables the writer makes, read back by DuckDB (an independent Parquet reader): columns, WKB geometries against
 * gdaltransform's (PROJ's) reprojection of the native corners, the bbox covering, and the footer keys
 * ({@link GeoKeys}).
 */
class GeoParquetWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DIM = 8;
  @TempDir Path tmp;

  /** A 512 x 384 UTM 33N scene, 10 m pixels, and its 4 x 3 windows of 128 px. */
  private List<Footprint> windows() throws Exception {
    Path tif = tmp.resolve("scene.tif");
    GeoTiffWriter.write(tif, SampleImages.render(101, 512, 384), List.of(),
        new GeoTiffWriter.Tags(new AffineTransform(10, 0, 0, -10, 500_000, 4_000_000), 32633, false),
        GeoTiffWriter.Options.tiled(128, "Deflate"));
    List<Footprint> out = new ArrayList<>();
    try (Scene scene = Scene.open(tif)) {
      Georeferencing geo = scene.georeferencing().orElseThrow();
      WindowGrid grid = new WindowGrid(scene.width(), scene.height(), 128, 128);
      for (int i = 0; i < grid.count(); i++) {
        out.add(Footprint.of(grid.window(i), geo));
      }
    }
    return out;
  }

  private static float[] embedding(int row) {
    float[] e = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      e[i] = (float) Math.sin(row * 31 + i);
    }
    return e;
  }

  @Test
  void windowsTableReadsBackInDuckDb() throws Exception {
    List<Footprint> windows = windows();
    Path out = tmp.resolve("w.parquet");
    TableMetadata meta = TableMetadata.of("model#id", "/models/m", null, DIM, true).withWindows(128, 128);
    try (GeoParquetWriter w = GeoParquetWriter.create(out, meta)) {
      for (int i = 0; i < windows.size(); i++) {
        w.write(EmbeddingRow.of("/data/scene.tif", true, windows.get(i), embedding(i)));
      }
      w.commit();
    }
    try (DuckDb db = new DuckDb()) {
      List<Map<String, Object>> rows = db.query("SELECT unique_id, source, pixel_bbox, utm_crs, utm_footprint, centre_lat,"
          + " centre_lon, geometry, bbox.xmin AS xmin, bbox.ymin AS ymin, bbox.xmax AS xmax, bbox.ymax AS ymax, embedding,"
          + " product_id, timestamp FROM read_parquet(" + DuckDb.literal(out) + ")");
      assertEquals(12, rows.size());
      double[] union = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
      boolean gdal = Gdal.present();
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> r = rows.get(i);
        Footprint fp = windows.get(i);
        Rectangle w = fp.window();
        assertEquals(EmbeddingRow.idOf("/data/scene.tif", w), r.get("unique_id"));
        assertEquals(64, ((String) r.get("unique_id")).length());
        assertEquals("/data/scene.tif", r.get("source"));
        assertArrayEquals(new int[] {w.x, w.y, w.x + w.width, w.y + w.height}, DuckDb.ints(r.get("pixel_bbox")));
        assertEquals("EPSG:32633", r.get("utm_crs"));
        assertNull(r.get("product_id"));
        assertNull(r.get("timestamp"));
        float[] e = DuckDb.floats(r.get("embedding"));
        assertArrayEquals(embedding(i), e);
        double[][] ring = Wkb.polygonRing((byte[]) r.get("geometry"));
        assertEquals(5, ring.length);
        assertArrayEquals(ring[0], ring[4], 0.0, "closed ring");
        assertTrue(signedArea(ring) > 0, "exterior ring counter-clockwise, as the 'geo' key says");
        // the native corners, from the geotransform alone, reprojected by PROJ (gdaltransform)
        List<double[]> corners = new ArrayList<>();
        for (double[] px : new double[][] {{w.x, w.y}, {w.x + w.width, w.y}, {w.x + w.width, w.y + w.height}, {w.x, w.y + w.height}}) {
          corners.add(new double[] {500_000 + 10 * px[0], 4_000_000 - 10 * px[1]});
        }
        assertTrue(((String) r.get("utm_footprint")).startsWith("POLYGON (("), (String) r.get("utm_footprint"));
        for (double[] c : corners) {
          assertTrue(((String) r.get("utm_footprint")).contains(plain(c[0]) + " " + plain(c[1])),
              r.get("utm_footprint") + " lacks " + plain(c[0]) + " " + plain(c[1]));
        }
        if (gdal) {
          for (double[] expected : Gdal.toLonLat("EPSG:32633", corners)) {
            assertTrue(Stream.of(ring).anyMatch(p -> Math.abs(p[0] - expected[0]) < 1e-8 && Math.abs(p[1] - expected[1]) < 1e-8),
                "PROJ's corner " + expected[0] + " " + expected[1] + " is a vertex of the geometry");
          }
        }
        double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : ring) {
          box[0] = Math.min(box[0], p[0]);
          box[1] = Math.min(box[1], p[1]);
          box[2] = Math.max(box[2], p[0]);
          box[3] = Math.max(box[3], p[1]);
        }
        assertArrayEquals(box, new double[] {(double) r.get("xmin"), (double) r.get("ymin"), (double) r.get("xmax"),
            (double) r.get("ymax")}, 0.0, "bbox covering = the geometry's bounds");
        double lat = (double) r.get("centre_lat");
        double lon = (double) r.get("centre_lon");
        assertTrue(lon > box[0] && lon < box[2] && lat > box[1] && lat < box[3], "centre inside the footprint");
        union = new double[] {Math.min(union[0], box[0]), Math.min(union[1], box[1]), Math.max(union[2], box[2]),
            Math.max(union[3], box[3])};
      }

      Map<String, String> footer = db.footer(out.toString());
      JsonNode geo = JSON.readTree(footer.get("geo"));
      GeoKeys.assertGeoParquet11(geo);
      JsonNode column = geo.path("columns").path("geometry");
      assertEquals(List.of("Polygon"), List.of(column.path("geometry_types").get(0).asText()));
      double[] fileBox = new double[4];
      for (int i = 0; i < 4; i++) {
        fileBox[i] = column.path("bbox").get(i).asDouble();
      }
      assertArrayEquals(union, fileBox, 0.0, "the file's bbox is the union of its rows'");
      assertFalse(column.has("crs"), "crs left out: OGC:CRS84");
      JsonNode model = JSON.readTree(footer.get("remoteclip"));
      assertEquals("model#id", model.path("model_id").asText());
      assertEquals("/models/m", model.path("model_ref").asText());
      assertEquals(DIM, model.path("dimension").asInt());
      assertTrue(model.path("normalized").asBoolean());
      assertEquals(128, model.path("window").asInt());

      for (Map<String, Object> c : db.query("SELECT DISTINCT compression FROM parquet_metadata(" + DuckDb.literal(out) + ")")) {
        assertEquals("ZSTD", String.valueOf(c.get("compression")).toUpperCase(java.util.Locale.ROOT));
      }
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of("scene.tif", "w.parquet"), left.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging file left");
    }
  }

  @Test
  void imagesWithoutGeoreferencingGetNullGeometry() throws Exception {
    Path out = tmp.resolve("plain.parquet");
    try (GeoParquetWriter w = GeoParquetWriter.create(out, TableMetadata.of("m", null, null, DIM, false))) {
      w.write(EmbeddingRow.of("/data/a.jpg", false, Footprint.of(new Rectangle(0, 0, 256, 256), null), embedding(0)));
      // a per-source summary is gathered only when asked for (--stac-collection): not by default
      assertThrows(IllegalStateException.class, w::summary);
      w.commit();
    }
    try (DuckDb db = new DuckDb()) {
      Map<String, Object> r = db.query("SELECT geometry, bbox, utm_crs, pixel_bbox FROM read_parquet(" + DuckDb.literal(out) + ")").get(0);
      assertNull(r.get("geometry"));
      assertNull(r.get("bbox"));
      assertNull(r.get("utm_crs"));
      assertArrayEquals(new int[] {0, 0, 256, 256}, DuckDb.ints(r.get("pixel_bbox")));
      JsonNode geo = JSON.readTree(db.footer(out.toString()).get("geo"));
      GeoKeys.assertGeoParquet11(geo);
      assertEquals(0, geo.path("columns").path("geometry").path("geometry_types").size(), "no geometry: types unknown");
      assertFalse(geo.path("columns").path("geometry").has("bbox"));
    }
  }

  @Test
  void rowGroupsOfAtMostOneHundredThousandRows() throws Exception {
    Path out = tmp.resolve("many.parquet");
    Footprint fp = Footprint.of(new Rectangle(0, 0, 1, 1), null);
    try (GeoParquetWriter w = GeoParquetWriter.create(out, TableMetadata.of("m", null, null, 2, false))) {
      for (int i = 0; i < 150_000; i++) {
        w.write(new EmbeddingRow(Integer.toString(i), "s", null, null, fp, new float[] {i, -i}));
      }
      w.commit();
    }
    try (DuckDb db = new DuckDb()) {
      List<Map<String, Object>> groups = db.query("SELECT row_group_id, any_value(row_group_num_rows) AS n FROM parquet_metadata("
          + DuckDb.literal(out) + ") GROUP BY row_group_id ORDER BY row_group_id");
      assertEquals(List.of(100_000L, 50_000L), groups.stream().map(g -> ((Number) g.get("n")).longValue()).toList());
    }
  }

  @Test
  void abandonedTableLeavesTheOldFile() throws Exception {
    Path out = tmp.resolve("t.parquet");
    Files.writeString(out, "old");
    try (GeoParquetWriter w = GeoParquetWriter.create(out, TableMetadata.of("m", null, null, DIM, false))) {
      w.write(EmbeddingRow.of("/a.jpg", false, Footprint.of(new Rectangle(0, 0, 2, 2), null), embedding(1)));
    }
    assertEquals("old", Files.readString(out));
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(1, left.count(), "no staging file left");
    }
  }

  private static double signedArea(double[][] ring) {
    double a = 0;
    for (int i = 0; i + 1 < ring.length; i++) {
      a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    }
    return a / 2;
  }

  /** JTS's WKT number form for these round coordinates. */
  private static String plain(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}

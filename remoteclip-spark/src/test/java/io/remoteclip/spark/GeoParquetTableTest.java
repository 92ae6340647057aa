package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.geo.Gdal;
import io.remoteclip.parquet.DuckDb;
import io.remoteclip.parquet.GeoKeys;
import io.remoteclip.parquet.GeoParquetEmbeddings;
import io.remoteclip.parquet.Wkb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark embeddings table is GeoParquet 1.1: every committed part file gets the {@code geo} footer key after
 * the commit (row groups copied, Spark's own keys kept), read back by DuckDB with geometries checked against
 * gdaltransform; a run killed while rewriting footers is finished by the next; an append's new parts get theirs.
 */
class GeoParquetTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static SparkSession spark;
  static ModelShipment mini;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SparkTests.session();
    mini = SparkTests.mini();
  }

  private static EmbedJob.Request request(Path input, String table) {
    return new EmbedJob.Request(new ImageSource.Files(input.toString()), table, table + ".errors", true, 2, mini, null);
  }

  private static List<Path> parts(Path table) throws Exception {
    try (Stream<Path> s = Files.list(table)) {
      return s.filter(p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  @Test
  void everyPartIsGeoParquetAndAKilledRewriteIsFinished() throws Exception {
    Path dir = tmp.resolve("images");
    Files.createDirectories(dir);
    io.remoteclip.index.GeoTiffFixtures.write(dir.resolve("tile.tif"), 32, 24, 500000.0, 4000000.0, 0.5, 32611);
    SparkTests.writeImages(dir, 2, 5);
    Path table = tmp.resolve("geo.parquet");
    assertEquals(3, EmbedJob.run(spark, request(dir, table.toString())).embedded());

    try (DuckDb db = new DuckDb()) {
      String glob = DuckDb.literal(table + "/*.parquet");
      List<Map<String, Object>> rows = db.query("SELECT path, geometry, bbox.xmin AS xmin, bbox.ymax AS ymax FROM read_parquet("
          + glob + ") ORDER BY path");
      assertEquals(3, rows.size());
      for (Map<String, Object> r : rows) {
        if (!((String) r.get("path")).endsWith("tile.tif")) {
          assertNull(r.get("geometry"), r.get("path") + " is not georeferenced");
          continue;
        }
        double[][] ring = Wkb.polygonRing((byte[]) r.get("geometry"));
        assertEquals(5, ring.length);
        double minLon = Stream.of(ring).mapToDouble(p -> p[0]).min().orElseThrow();
        double maxLat = Stream.of(ring).mapToDouble(p -> p[1]).max().orElseThrow();
        assertEquals(minLon, (double) r.get("xmin"), 0.0);
        assertEquals(maxLat, (double) r.get("ymax"), 0.0);
        if (Gdal.present()) {
          List<double[]> proj = Gdal.toLonLat("EPSG:32611", List.of(new double[] {500000, 4000000},
              new double[] {500016, 3999988}));
          for (double[] c : proj) {
            assertTrue(Stream.of(ring).anyMatch(v -> Math.abs(v[0] - c[0]) < 1e-8 && Math.abs(v[1] - c[1]) < 1e-8),
                "PROJ's corner " + c[0] + " " + c[1]);
          }
        }
      }
      for (Path part : parts(table)) {
        assertEquals(List.of(Map.of("compression", "ZSTD")), db.query("SELECT DISTINCT compression FROM parquet_metadata("
            + DuckDb.literal(part) + ")"), part + " is zstd-compressed, as the CLI's tables");
        Map<String, String> kv = db.footer(part.toString());
        GeoKeys.assertGeoParquet11(JSON.readTree(kv.get("geo")));
        JsonNode model = JSON.readTree(kv.get("remoteclip"));
        assertEquals(mini.modelId(), model.path("model_id").asText());
        assertTrue(kv.containsKey("org.apache.spark.sql.parquet.row.metadata"), "Spark's own schema key kept: " + kv.keySet());
      }
    }
    try (GeoParquetEmbeddings t = GeoParquetEmbeddings.open(table.toString(), GeoParquetEmbeddings.Options.defaults(w -> {}))) {
      assertEquals(GeoParquetEmbeddings.Layout.SPARK, t.layout());
    }

    // Killed between removing a part and renaming its rewritten copy into place: the next run puts it back.
    Path victim = parts(table).get(0);
    Files.move(victim, victim.resolveSibling("." + victim.getFileName() + ".footer"));
    assertEquals(2, spark.read().parquet(table.toString()).count(), "Spark skips the hidden copy");
    EmbedJob.Summary rerun = EmbedJob.run(spark, request(dir, table.toString()));
    assertTrue(Files.exists(victim), "the copy renamed into place");
    assertEquals(3, spark.read().parquet(table.toString()).count(), rerun.toString());

    // An append: its new part gets the key too.
    SparkTests.writeImages(dir.resolve("more"), 1, 9);
    assertEquals(1, EmbedJob.run(spark, request(dir, table.toString())).embedded());
    try (DuckDb db = new DuckDb()) {
      for (Path part : parts(table)) {
        assertTrue(db.footer(part.toString()).containsKey("geo"), part.toString());
      }
      assertEquals(4L, ((Number) db.query("SELECT count(*) AS n FROM read_parquet(" + DuckDb.literal(table + "/*.parquet")
          + ")").get(0).get("n")).longValue());
    }
    try (Stream<Path> left = Files.list(table)) {
      assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".footer")), "no copy left");
    }
  }

  /**
   * Window rows ({@code embed --window}) are GeoParquet rows too: each window's own corners as WKB (checked
   * against PROJ's transform of the window's UTM corners), its bbox the ring's covering, and the geo key in
   * every part's footer.
   */
  @Test
  void windowTableIsGeoParquetToo() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("scenes"));
    SceneFixtures.write(dir.resolve("s.tif"), 128, 64, 11, 500_000, 4_650_000);
    Path table = tmp.resolve("windows.parquet");
    EmbedJob.Request r = new EmbedJob.Request(new ImageSource.Files(dir.toString()), table.toString(),
        table + ".errors", true, 2, mini, null).withWindows(new EmbedJob.Windows(64, 64));
    assertEquals(2, EmbedJob.run(spark, r).embedded());
    try (DuckDb db = new DuckDb()) {
      List<Map<String, Object>> rows = db.query("SELECT path, geometry, bbox.xmin AS xmin, bbox.ymin AS ymin, "
          + "bbox.xmax AS xmax, bbox.ymax AS ymax FROM read_parquet(" + DuckDb.literal(table + "/*.parquet")
          + ") ORDER BY path");
      assertEquals(2, rows.size());
      for (Map<String, Object> row : rows) {
        String path = (String) row.get("path");
        var key = io.remoteclip.index.SceneWindowIndexer.parse(path).orElseThrow();
        double[][] ring = Wkb.polygonRing((byte[]) row.get("geometry"));
        assertEquals(5, ring.length, path);
        assertEquals(Stream.of(ring).mapToDouble(v -> v[0]).min().orElseThrow(), (double) row.get("xmin"), 0.0, path);
        assertEquals(Stream.of(ring).mapToDouble(v -> v[1]).min().orElseThrow(), (double) row.get("ymin"), 0.0, path);
        assertEquals(Stream.of(ring).mapToDouble(v -> v[0]).max().orElseThrow(), (double) row.get("xmax"), 0.0, path);
        assertEquals(Stream.of(ring).mapToDouble(v -> v[1]).max().orElseThrow(), (double) row.get("ymax"), 0.0, path);
        if (Gdal.present()) {
          java.awt.Rectangle w = key.window();
          double x0 = 500_000 + 10.0 * w.x;
          double y0 = 4_650_000 - 10.0 * w.y;
          List<double[]> corners = Gdal.toLonLat("EPSG:32633", List.of(new double[] {x0, y0},
              new double[] {x0 + 10.0 * w.width, y0}, new double[] {x0 + 10.0 * w.width, y0 - 10.0 * w.height},
              new double[] {x0, y0 - 10.0 * w.height}));
          for (double[] c : corners) {
            assertTrue(Stream.of(ring).anyMatch(v -> Math.abs(v[0] - c[0]) < 1e-8 && Math.abs(v[1] - c[1]) < 1e-8),
                path + ": PROJ's corner " + c[0] + " " + c[1]);
          }
        }
      }
      for (Path part : parts(table)) {
        GeoKeys.assertGeoParquet11(JSON.readTree(db.footer(part.toString()).get("geo")));
      }
    }
  }
}

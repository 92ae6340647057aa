package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.geo.Gdal;
import io.remoteclip.npy.Npy;
import io.remoteclip.parquet.DuckDb;
import io.remoteclip.parquet.Wkb;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.remoteclip.index.ImageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GeoParquet out and in, end to end on the bundled model: {@code embed --window} and {@code embed --out X.parquet}
 * read back by DuckDB (geometries against gdaltransform, a window's row against {@code embed} on the crop), {@code
 * scan}'s windows.parquet, {@code index --from-parquet} of ours and of a third-party table DuckDB writes, and
 * search by text, by example and by area; bad tables get one line naming the file.
 */
class GeoParquetCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static BufferedImage mosaic;
  private static Path scene;

  @BeforeAll
  static void writeScene() throws Exception {
    mosaic = TestScenes.mosaic();
    scene = tmp.resolve("scenes/scene.tif");
    Files.createDirectories(scene.getParent());
    TestScenes.writeUtm(scene, mosaic);
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static String model() {
    return BundledModel.dir().toString();
  }

  private static void assertOneLine(CliRun r, int code, String startsWith) {
    assertEquals(code, r.code(), r.err());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("remoteclip: " + startsWith), r.err());
  }

  @Test
  void embedWindowsToGeoParquetIndexAndSearchByArea() throws Exception {
    Path table = tmp.resolve("w.parquet");
    CliRun r = run("embed", "--model", model(), "--images", scene.getParent().toString(), "--window", "256", "--stride",
        "128", "--out", table.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("wrote " + table + ": GeoParquet, 15 rows of "), r.out());
    try (DuckDb db = new DuckDb()) {
      List<Map<String, Object>> rows = db.query("SELECT source, pixel_bbox, utm_crs, geometry, embedding FROM read_parquet("
          + DuckDb.literal(table) + ")");
      assertEquals(15, rows.size(), "5 x 3 windows of 256 every 128 over 768 x 512");
      boolean gdal = Gdal.present();
      for (Map<String, Object> row : rows) {
        assertEquals(scene.toAbsolutePath().toString(), row.get("source"));
        assertEquals("EPSG:32633", row.get("utm_crs"));
        int[] p = DuckDb.ints(row.get("pixel_bbox"));
        double[][] ring = Wkb.polygonRing((byte[]) row.get("geometry"));
        if (gdal) {
          List<double[]> corners = List.of(new double[] {500_000 + 0.5 * p[0], 4_000_000 - 0.5 * p[1]},
              new double[] {500_000 + 0.5 * p[2], 4_000_000 - 0.5 * p[3]});
          for (double[] c : Gdal.toLonLat("EPSG:32633", corners)) {
            assertTrue(List.of(ring).stream().anyMatch(v -> Math.abs(v[0] - c[0]) < 1e-8 && Math.abs(v[1] - c[1]) < 1e-8),
                "PROJ's corner " + c[0] + " " + c[1] + " in the ring");
          }
        }
      }
      // The window at (256, 0): its row equals `embed` on the same pixels saved as a PNG.
      Path crop = tmp.resolve("crop.png");
      ImageIO.write(mosaic.getSubimage(256, 0, 256, 256), "png", crop.toFile());
      Path npy = tmp.resolve("crop.npy");
      assertEquals(0, run("embed", "--model", model(), "--images", crop.toString(), "--out", npy.toString()).code());
      float[] expected = Npy.readMatrix(npy)[0];
      float[] got = DuckDb.floats(db.query("SELECT embedding FROM read_parquet(" + DuckDb.literal(table)
          + ") WHERE pixel_bbox = [256, 0, 512, 256]").get(0).get("embedding"));
      assertArrayEquals(expected, got, 1e-5f);
      JsonNode meta = JSON.readTree(db.footer(table.toString()).get("remoteclip"));
      assertEquals(BundledModel.dir().toAbsolutePath().normalize().toString(), meta.path("model_ref").asText());
      assertEquals(256, meta.path("window").asInt());
      assertEquals(128, meta.path("stride").asInt());

      // Indexed without re-encoding; a text query inside a box gets exactly the windows DuckDB's bbox columns put in it.
      Path idx = tmp.resolve("w-idx");
      CliRun index = run("index", "--from-parquet", table.toString(), "--index", idx.toString());
      assertEquals(0, index.code(), index.err());
      assertTrue(index.out().matches("(?s).*: (\\d+) windows: \\1 added, 0 replaced, 0 unchanged; \\1 documents, .*"),
          "the rows are windows: " + index.out());
      double[] box = {15.0025, 36.0, 15.01, 36.2};
      TreeSet<String> inBox = new TreeSet<>();
      for (Map<String, Object> w : db.query("SELECT pixel_bbox FROM read_parquet(" + DuckDb.literal(table) + ") WHERE bbox.xmin <= "
          + box[2] + " AND bbox.xmax >= " + box[0] + " AND bbox.ymin <= " + box[3] + " AND bbox.ymax >= " + box[1])) {
        int[] p = DuckDb.ints(w.get("pixel_bbox"));
        inBox.add("x=" + p[0] + ",y=" + p[1]);
      }
      assertTrue(inBox.size() > 0 && inBox.size() < 15, inBox.toString());
      CliRun search = run("search", "--index", idx.toString(), "an airport", "-k", "50", "--json", "--bbox",
          box[0] + "," + box[1] + "," + box[2] + "," + box[3]);
      assertEquals(0, search.code(), search.err());
      TreeSet<String> found = new TreeSet<>();
      for (JsonNode h : JSON.readTree(search.out()).get("results")) {
        String path = h.get("path").asText();
        found.add(path.substring(path.indexOf('#') + 1).replaceFirst(",w=.*", ""));
      }
      assertEquals(inBox, found);
    }
  }

  @Test
  void embedWholeImagesToGeoParquet() throws Exception {
    Path dir = tmp.resolve("mixed");
    List<Path> jpgs = SampleImages.ucmLike(dir, 101, 701);
    Files.copy(scene, dir.resolve("scene.tif"));
    Path table = tmp.resolve("images.parquet");
    CliRun r = run("embed", "--model", model(), "--images", dir.toString(), "--normalize", "--out", table.toString());
    assertEquals(0, r.code(), r.err());
    try (DuckDb db = new DuckDb()) {
      List<Map<String, Object>> rows = db.query("SELECT source, pixel_bbox, geometry, embedding FROM read_parquet("
          + DuckDb.literal(table) + ") ORDER BY source");
      assertEquals(3, rows.size());
      for (Map<String, Object> row : rows) {
        String source = (String) row.get("source");
        if (source.endsWith(".tif")) {
          assertArrayEquals(new int[] {0, 0, 768, 512}, DuckDb.ints(row.get("pixel_bbox")));
          assertEquals(5, Wkb.polygonRing((byte[]) row.get("geometry")).length);
        } else {
          assertNull(row.get("geometry"), source + ": a JPEG has no georeferencing");
        }
        float[] e = DuckDb.floats(row.get("embedding"));
        double n = 0;
        for (float v : e) {
          n += v * v;
        }
        assertEquals(1.0, Math.sqrt(n), 1e-5, "--normalize");
      }
      assertTrue(JSON.readTree(db.footer(table.toString()).get("remoteclip")).path("normalized").asBoolean());
    }
    assertTrue(jpgs.size() == 2);
  }

  @Test
  void scanWritesEveryWindowAsGeoParquet() throws Exception {
    Path out = tmp.resolve("scan");
    CliRun r = run("scan", "--model", model(), "--query", "a dense forest", "--window", "256", "--stride", "256",
        "--out", out.toString(), scene.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("windows.parquet}"), r.out());
    try (DuckDb db = new DuckDb()) {
      Path t = out.resolve("windows.parquet");
      assertEquals(6L, ((Number) db.query("SELECT count(*) AS n FROM read_parquet(" + DuckDb.literal(t)
          + ") WHERE geometry IS NOT NULL").get(0).get("n")).longValue(), "3 x 2 windows, all of them");
      assertTrue(db.footer(t.toString()).containsKey("geo"));
    }
  }

  /** A table as Major TOM's embedding tables name their columns, written by DuckDB. */
  private static Path majorTom(String name, String geo, String... rows) throws Exception {
    Path f = tmp.resolve(name);
    try (DuckDb db = new DuckDb()) {
      db.execute("COPY (SELECT * FROM (VALUES " + String.join(", ", rows) + ") t(unique_id, embedding, geometry, product_id)) TO "
          + DuckDb.literal(f) + " (FORMAT PARQUET" + (geo == null ? "" : ", KV_METADATA {geo: " + DuckDb.literal(geo) + "}") + ")");
    }
    return f;
  }

  private static String row(String id, String embedding, double lon, double lat) {
    double[][] r = {{lon, lat}, {lon + 0.1, lat}, {lon + 0.1, lat + 0.1}, {lon, lat + 0.1}, {lon, lat}};
    return String.format(Locale.ROOT, "('%s', %s::FLOAT[], from_hex('%s'), 'S2A_MSIL2A_%s')", id, embedding,
        HexFormat.of().formatHex(Wkb.polygon(r)), id);
  }

  private static final String GEO = "{\"version\":\"1.0.0\",\"primary_column\":\"geometry\",\"columns\":{\"geometry\":"
      + "{\"encoding\":\"WKB\",\"geometry_types\":[\"Polygon\"]}}}";

  @Test
  void thirdPartyTableSearchedByExampleAndArea() throws Exception {
    Path t = majorTom("majortom.parquet", GEO, row("a1", "[1, 0, 0, 0]", 12.0, 45.0), row("b2", "[0.9, 0.1, 0, 0]", 20.0, 50.0),
        row("c3", "[0, 1, 0, 0]", 12.05, 45.05), row("d4", "[0, 0, 1, 0]", 30.0, 10.0));
    Path idx = tmp.resolve("mt-idx");
    CliRun index = run("index", "--from-parquet", t.toString(), "--index", idx.toString());
    assertEquals(0, index.code(), index.err());
    assertTrue(index.out().contains(": 4 rows: 4 added, 0 replaced, 0 unchanged; 4 documents, 1 commits, "), index.out());

    CliRun like = run("search", "--index", idx.toString(), "--like", "a1", "-k", "2", "--json");
    assertEquals(0, like.code(), like.err());
    JsonNode hits = JSON.readTree(like.out()).get("results");
    assertEquals("a1", hits.get(0).get("path").asText());
    assertEquals("b2", hits.get(1).get("path").asText());

    String area = "{\"type\": \"Polygon\", \"coordinates\": [[[11.9, 44.9], [12.2, 44.9], [12.2, 45.2], [11.9, 45.2], [11.9, 44.9]]]}";
    Path areaFile = Files.writeString(tmp.resolve("area.geojson"), "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": "
        + area + "}");
    for (String intersects : List.of(area, areaFile.toString())) {
      CliRun near = run("search", "--index", idx.toString(), "--like", "a1", "-k", "10", "--json", "--intersects", intersects);
      assertEquals(0, near.code(), near.err());
      List<String> paths = new ArrayList<>();
      JSON.readTree(near.out()).get("results").forEach(h -> paths.add(h.get("path").asText()));
      assertEquals(List.of("a1", "c3"), paths);
    }

    Path q = tmp.resolve("q.npy");
    Npy.writeFloats(q, new float[] {0, 0, 1, 0.1f}, 4);
    CliRun vec = run("search", "--index", idx.toString(), "--vector", q.toString(), "-k", "1");
    assertEquals(0, vec.code(), vec.err());
    assertTrue(vec.out().contains("d4"), vec.out());

    assertOneLine(run("search", "--index", idx.toString(), "an airport"), 66,
        idx + ": holds embeddings of external:4d, a model remoteclip cannot load");
  }

  /**
   * {@code serve} on an index of a third-party table starts without a model, as {@code search} does: queries by
   * example, by vector and by area are answered over HTTP, a text query gets the one-line reason.
   */
  @Test
  void thirdPartyIndexIsServedByExample() throws Exception {
    Path t = majorTom("served.parquet", GEO, row("a1", "[1, 0, 0, 0]", 12.0, 45.0), row("b2", "[0.9, 0.1, 0, 0]", 20.0, 50.0),
        row("c3", "[0, 1, 0, 0]", 12.05, 45.05), row("d4", "[0, 0, 1, 0]", 30.0, 10.0));
    Path idx = tmp.resolve("served-idx");
    assertEquals(0, run("index", "--from-parquet", t.toString(), "--index", idx.toString()).code());
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = tmp.resolve("serve.log");
    Process serve = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.remoteclip.cli.Main",
        "serve", "--index", idx.toString(), "--port", "0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String url = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (url == null && serve.isAlive() && System.nanoTime() < deadline) {
        Matcher m = Pattern.compile(" at (http://\\S+/) ").matcher(Files.readString(log));
        url = m.find() ? m.group(1) : null;
        Thread.sleep(50);
      }
      assertTrue(url != null, "serve did not start: " + Files.readString(log));
      String base = url;
      assertTrue(Files.readString(log).contains("model external:4d, which remoteclip cannot load"), Files.readString(log));
      HttpClient http = HttpClient.newHttpClient();
      BiFunction<String, String, HttpResponse<String>> call = (path, body) -> {
        var req = HttpRequest.newBuilder(URI.create(base + path.substring(1)));
        try {
          return http.send(body == null ? req.GET().build() : req.POST(HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      };

      JsonNode health = JSON.readTree(call.apply("/api/health", null).body());
      assertEquals(4, health.get("documents").asInt());
      assertFalse(health.get("model_loaded").asBoolean());

      var similar = call.apply("/api/similar?k=2&id=" + ImageRecord.idOf("a1"), null);
      assertEquals(200, similar.statusCode(), similar.body());
      assertEquals(List.of("a1", "b2"), paths(similar.body()));

      var near = call.apply("/api/similar?k=10&bbox=11.9,44.9,12.2,45.2&id=" + ImageRecord.idOf("a1"), null);
      assertEquals(200, near.statusCode(), near.body());
      assertEquals(List.of("a1", "c3"), paths(near.body()));

      var vector = call.apply("/api/search/vector?k=1", "[0, 0, 1, 0.1]");
      assertEquals(200, vector.statusCode(), vector.body());
      assertEquals(List.of("d4"), paths(vector.body()));
      var object = call.apply("/api/search/vector?k=2", "{\"vector\": [0.1, 1, 0, 0]}");
      assertEquals(List.of("c3", "b2"), paths(object.body())); // cosines 0.995, 0.209 (a1: 0.0995)
      var wrongLength = call.apply("/api/search/vector", "[1, 0]");
      assertEquals(400, wrongLength.statusCode(), wrongLength.body());
      assertTrue(wrongLength.body().contains("4-dimensional"), wrongLength.body());

      var text = call.apply("/api/search?q=an%20airport", null);
      assertEquals(422, text.statusCode(), text.body());
      String reason = JSON.readTree(text.body()).get("error").asText();
      assertEquals(idx + ": holds embeddings of external:4d, a model remoteclip cannot load (the table came from another "
          + "tool), so it cannot embed a text query for it; search by example: GET /api/similar?id=ID or POST "
          + "/api/search/vector", reason);
      var zeroShot = call.apply("/api/similar?zero_shot=a,b&id=" + ImageRecord.idOf("a1"), null);
      assertEquals(422, zeroShot.statusCode(), zeroShot.body());
    } finally {
      serve.destroy();
      serve.waitFor(30, TimeUnit.SECONDS);
      serve.destroyForcibly();
    }
    assertFalse(Files.readString(log).contains("Exception"), Files.readString(log));
  }

  private static List<String> paths(String results) throws Exception {
    List<String> out = new ArrayList<>();
    JSON.readTree(results).get("results").forEach(h -> out.add(h.get("path").asText()));
    return out;
  }

  @Test
  void badTablesGetOneLineNamingTheFile() throws Exception {
    Path noGeo = majorTom("nogeo.parquet", null, row("a1", "[1, 0]", 1, 2));
    CliRun warned = run("index", "--from-parquet", noGeo.toString(), "--index", tmp.resolve("nogeo-idx").toString());
    assertEquals(0, warned.code(), warned.err());
    assertOneLine(new CliRun(1, "", warned.err()), 1, "warning: " + noGeo + ": no GeoParquet 'geo' metadata; reading column "
        + "geometry as WKB in OGC:CRS84");

    Path ragged = majorTom("ragged.parquet", GEO, row("a1", "[1, 0, 0]", 1, 2), row("b2", "[1, 0]", 1, 2));
    Path idx = tmp.resolve("ragged-idx");
    assertOneLine(run("index", "--from-parquet", ragged.toString(), "--index", idx.toString()), 65,
        ragged + ": row 1: embedding of 2 values; the table's first row has 3");
    assertFalse(Files.exists(idx.resolve("segments_1")), "nothing half-written");

    assertOneLine(run("index", "--from-parquet", ragged.toString(), "--index", idx.toString(), "--embedding-column", "vec"),
        65, ragged + ": no column vec (--embedding-column)");
    assertOneLine(run("index", "--from-parquet", ragged.toString(), "--index", idx.toString(), "--id-column", "key"),
        65, ragged + ": no column key (--id-column)");

    Path other = majorTom("other.parquet", GEO, row("z9", "[1, 0, 0, 0, 0]", 1, 2));
    Path mt = tmp.resolve("dim-idx");
    assertEquals(0, run("index", "--from-parquet", majorTom("three.parquet", GEO, row("a1", "[1, 0, 0]", 1, 2)).toString(),
        "--index", mt.toString()).code());
    CliRun wrongDim = run("index", "--from-parquet", other.toString(), "--index", mt.toString());
    assertEquals(65, wrongDim.code(), wrongDim.err());
    assertEquals(1, wrongDim.err().strip().lines().count(), wrongDim.err());
  }
}

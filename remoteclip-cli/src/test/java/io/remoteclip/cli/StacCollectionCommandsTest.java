package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.geo.GeoTiffWriter;
import io.remoteclip.parquet.DuckDb;
import io.remoteclip.parquet.EmbeddingsStac;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.StacItemSchema;
import java.awt.geom.AffineTransform;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --stac-collection DIR} on {@code embed} and {@code scan}: the Collection and Items describing the GeoParquet
 * tables are walked back with {@code stac search --catalog} (relative hrefs resolved), and their extents, row counts
 * and dimensions are compared with what DuckDB reads from the tables themselves.
 */
class StacCollectionCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static Path scenes;

  @BeforeAll
  static void writeScenes() throws Exception {
    scenes = Files.createDirectories(tmp.resolve("scenes"));
    TestScenes.writeUtm(scenes.resolve("north.tif"), TestScenes.mosaic());
    // The same pixels 100 km east and 100 km south: a second, disjoint footprint.
    GeoTiffWriter.write(scenes.resolve("south.tif"), TestScenes.mosaic(), List.of(), new GeoTiffWriter.Tags(
        new AffineTransform(0.5, 0, 0, -0.5, 600_000, 3_900_000), 32633, false), GeoTiffWriter.Options.tiled(128, "Deflate"));
  }

  private static String model() {
    return BundledModel.dir().toString();
  }

  /** The items of the collection at {@code dir}, as {@code stac search --catalog} finds them (hrefs made absolute). */
  private static List<JsonNode> walk(Path dir) throws Exception {
    Path items = tmp.resolve("walked-" + dir.getFileName() + ".json");
    CliRun r = CliRun.of("stac", "search", "--catalog", dir.resolve("collection.json").toString(), "--out", items.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> out = new java.util.ArrayList<>();
    JSON.readTree(items.toFile()).get("features").forEach(out::add);
    return out;
  }

  /** Per source: [rows, xmin, ymin, xmax, ymax] as DuckDB reads them from {@code table}. */
  private static Map<String, double[]> perSource(DuckDb db, Path table) throws Exception {
    Map<String, double[]> out = new HashMap<>();
    for (Map<String, Object> row : db.query("SELECT source, count(*) AS n, min(bbox.xmin) AS w, min(bbox.ymin) AS s, "
        + "max(bbox.xmax) AS e, max(bbox.ymax) AS nn FROM read_parquet(" + DuckDb.literal(table) + ") GROUP BY source")) {
      out.put((String) row.get("source"), new double[] {((Number) row.get("n")).doubleValue(), (Double) row.get("w"),
          (Double) row.get("s"), (Double) row.get("e"), (Double) row.get("nn")});
    }
    return out;
  }

  private static void assertBox(double[] expected, int from, JsonNode bbox, String what) {
    assertEquals(4, bbox.size(), what);
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[from + i], bbox.get(i).asDouble(), 1e-12, what + "[" + i + "]");
    }
  }

  @Test
  void embedWindowsDescribesEachSceneAsAnItemOfTheTable() throws Exception {
    Path table = tmp.resolve("w.parquet");
    Path dir = tmp.resolve("w-stac");
    CliRun r = CliRun.of("embed", "--model", model(), "--images", scenes.toString(), "--window", "256", "--out",
        table.toString(), "--stac-collection", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote " + dir + ": STAC Collection (collection.json) of 2 items describing 1 table"),
        r.out());
    JsonNode collection = JSON.readTree(dir.resolve("collection.json").toFile());
    assertEquals("Collection", collection.path("type").asText());
    assertEquals("w-stac", collection.path("id").asText());
    assertEquals(EmbeddingsStac.EXTENSION, collection.path("stac_extensions").get(0).asText());
    try (DuckDb db = new DuckDb()) {
      Map<String, Object> all = db.query("SELECT count(*) AS n, min(bbox.xmin) AS w, min(bbox.ymin) AS s, "
          + "max(bbox.xmax) AS e, max(bbox.ymax) AS nn, max(len(embedding)) AS d FROM read_parquet("
          + DuckDb.literal(table) + ")").get(0);
      assertEquals(12L, ((Number) all.get("n")).longValue(), "3 x 2 windows of 256 in each of the two scenes");
      assertEquals(((Number) all.get("d")).intValue(), collection.path("emb:dimensions").asInt());
      assertBox(new double[] {(Double) all.get("w"), (Double) all.get("s"), (Double) all.get("e"), (Double) all.get("nn")},
          0, collection.at("/extent/spatial/bbox/0"), "collection extent");
      Map<String, double[]> sources = perSource(db, table);
      List<JsonNode> items = walk(dir);
      assertEquals(2, items.size());
      for (JsonNode item : items) {
        String source = item.at("/properties/remoteclip:source").asText();
        String stem = source.substring(source.lastIndexOf('/') + 1).replace(".tif", "");
        assertEquals(stem, item.path("id").asText());
        double[] expected = sources.get(source);
        assertEquals((long) expected[0], item.at("/properties/remoteclip:rows").asLong(), source);
        assertBox(expected, 1, item.path("bbox"), source + " bbox");
        JsonNode ring = item.at("/geometry/coordinates/0");
        assertEquals(expected[1], ring.get(0).get(0).asDouble(), 1e-12);
        assertEquals(expected[4], ring.get(2).get(1).asDouble(), 1e-12);
        JsonNode asset = item.at("/assets/embeddings");
        assertEquals(table.toUri(), URI.create(asset.path("href").asText()), "relative href resolves to the table");
        assertEquals("application/vnd.apache.parquet", asset.path("type").asText());
        assertEquals(256, item.at("/properties/emb:chip_layout/chip_size/0").asInt());
        assertTrue(item.at("/properties/remoteclip:datetime_is_processing_time").asBoolean(), "scenes have no time");
        // On disk the href is relative, so the folder and the table can move together.
        String written = JSON.readTree(dir.resolve(stem).resolve(stem + ".json").toFile())
            .at("/assets/embeddings/href").asText();
        assertEquals("../../w.parquet", written);
      }
    }
  }

  @Test
  void theCollectionAndItemsValidateAgainstTheStac10Schemas() throws Exception {
    StacItemSchema items = StacItemSchema.require();
    StacItemSchema collections = StacItemSchema.requireCollection();
    Path dir = tmp.resolve("valid-stac");
    CliRun r = CliRun.of("embed", "--model", model(), "--images", scenes.toString(), "--window", "384", "--out",
        tmp.resolve("valid.parquet").toString(), "--stac-collection", dir.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode collection = JSON.readTree(dir.resolve("collection.json").toFile());
    assertEquals(List.of(), collections.errors(collection));
    // The schemas do bite: a collection without its licence, an item whose asset has no href.
    ((com.fasterxml.jackson.databind.node.ObjectNode) collection).remove("license");
    assertFalse(collections.errors(collection).isEmpty(), "the collection schema requires a licence");
    JsonNode broken = JSON.readTree(dir.resolve("north/north.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.at("/assets/embeddings")).remove("href");
    assertFalse(items.errors(broken).isEmpty(), "the item schema requires asset hrefs");
    for (String stem : List.of("north", "south")) {
      assertEquals(List.of(), items.errors(JSON.readTree(dir.resolve(stem).resolve(stem + ".json").toFile())), stem);
    }
  }

  @Test
  void itemsOfStacScenesKeepTheSourceItemsIdAndTime() throws Exception {
    Path itemsJson = tmp.resolve("items.json");
    Files.writeString(itemsJson, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"stac_version\":"
        + "\"1.0.0\",\"id\":\"S2B_33SVB_20240601\",\"collection\":\"sentinel-2-test\",\"geometry\":null,"
        + "\"properties\":{\"datetime\":\"2024-06-01T10:20:30Z\"},\"links\":[],\"assets\":{\"visual\":{\"href\":"
        + "\"scenes/north.tif\",\"type\":\"image/tiff\"}}}]}");
    Path dir = tmp.resolve("from-stac");
    CliRun r = CliRun.of("embed", "--model", model(), "--stac", itemsJson.toString(), "--asset", "visual", "--window",
        "256", "--out", tmp.resolve("from-stac.parquet").toString(), "--stac-collection", dir.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> items = walk(dir);
    assertEquals(1, items.size());
    JsonNode p = items.get(0).path("properties");
    assertEquals("S2B_33SVB_20240601", items.get(0).path("id").asText());
    assertEquals("2024-06-01T10:20:30Z", p.path("datetime").asText());
    assertFalse(p.has("remoteclip:datetime_is_processing_time"));
    assertEquals("sentinel-2-test", p.path("remoteclip:stac_collection").asText());
    JsonNode collection = JSON.readTree(dir.resolve("collection.json").toFile());
    assertEquals("2024-06-01T10:20:30Z", collection.at("/extent/temporal/interval/0/0").asText());
    assertEquals("2024-06-01T10:20:30Z", collection.at("/extent/temporal/interval/0/1").asText());
  }

  @Test
  void scanDescribesTheWindowsTableOfEveryScene() throws Exception {
    Path out = tmp.resolve("scan");
    Path dir = tmp.resolve("scan-stac");
    CliRun r = CliRun.of("scan", "--model", model(), "--query", "a forest", "--window", "256", "--out", out.toString(),
        "--stac-collection", dir.toString(), scenes.resolve("north.tif").toString(), scenes.resolve("south.tif").toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> items = walk(dir);
    assertEquals(2, items.size());
    try (DuckDb db = new DuckDb()) {
      for (JsonNode item : items) {
        String id = item.path("id").asText();
        Path windows = out.resolve(id).resolve("windows.parquet");
        assertEquals(windows.toUri(), URI.create(item.at("/assets/embeddings/href").asText()));
        double[] expected = perSource(db, windows).get(scenes.resolve(id + ".tif").toAbsolutePath().toString());
        assertEquals(6, (long) expected[0]);
        assertBox(expected, 1, item.path("bbox"), id);
      }
    }
  }

  @Test
  void aTableOfWholeImagesIsOneItem() throws Exception {
    Path table = tmp.resolve("images.parquet");
    Path dir = tmp.resolve("images-stac");
    CliRun r = CliRun.of("embed", "--model", model(), "--images", scenes.toString(), "--out", table.toString(),
        "--stac-collection", dir.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> items = walk(dir);
    assertEquals(1, items.size());
    assertEquals("images", items.get(0).path("id").asText());
    assertEquals(2, items.get(0).at("/properties/remoteclip:rows").asLong());
    assertEquals("irregular", items.get(0).at("/properties/emb:chip_layout/layout_type").asText());
  }

  @Test
  void mistakesAreOneLineAndWriteNothing() throws Exception {
    CliRun npy = CliRun.of("embed", "--model", model(), "--images", scenes.toString(), "--out",
        tmp.resolve("x.npy").toString(), "--stac-collection", tmp.resolve("npy-stac").toString());
    assertEquals(2, npy.code(), npy.err());
    assertTrue(npy.err().contains("--stac-collection describes a GeoParquet table"), npy.err());
    Path mine = Files.createDirectories(tmp.resolve("my-files"));
    Files.writeString(mine.resolve("notes.txt"), "keep me");
    Path table = tmp.resolve("refused.parquet");
    CliRun refused = CliRun.of("embed", "--model", model(), "--images", scenes.toString(), "--window", "256", "--out",
        table.toString(), "--stac-collection", mine.toString());
    assertEquals(65, refused.code(), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().startsWith("remoteclip: " + mine), refused.err());
    assertFalse(Files.exists(table), "checked before any work: no table either");
    assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));
    // An earlier collection is replaced whole.
    Path dir = tmp.resolve("again-stac");
    assertEquals(0, CliRun.of("embed", "--model", model(), "--images", scenes.toString(), "--window", "256", "--out",
        tmp.resolve("again.parquet").toString(), "--stac-collection", dir.toString()).code());
    assertEquals(0, CliRun.of("embed", "--model", model(), "--images", scenes.resolve("south.tif").toString(), "--window",
        "256", "--out", tmp.resolve("again.parquet").toString(), "--stac-collection", dir.toString()).code());
    assertEquals(1, walk(dir).size());
    assertFalse(Files.exists(dir.resolve("north")));
  }
}

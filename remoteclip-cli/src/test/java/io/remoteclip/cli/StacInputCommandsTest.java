package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.parquet.DuckDb;
import io.remoteclip.testing.BundledModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --stac ITEMS --asset KEY} in place of scene paths: the scenes an ItemCollection points at are read, and
 * the item id, collection, asset key and datetime reach every GeoParquet row.
 */
class StacInputCommandsTest {
  @TempDir static Path tmp;
  private static Path items;

  @BeforeAll
  static void writeSceneAndItems() throws Exception {
    Path scene = tmp.resolve("scenes/scene.tif");
    Files.createDirectories(scene.getParent());
    TestScenes.writeUtm(scene, TestScenes.mosaic());
    items = tmp.resolve("items.json");
    Files.writeString(items, itemCollection("\"visual\":{\"href\":\"scenes/scene.tif\",\"type\":\"image/tiff\"}"));
  }

  private static String itemCollection(String assets) {
    return "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"stac_version\":\"1.0.0\","
        + "\"id\":\"S2B_33SVB_20240601\",\"collection\":\"sentinel-2-test\",\"geometry\":{\"type\":\"Polygon\","
        + "\"coordinates\":[[[15,36],[15.1,36],[15.1,36.1],[15,36.1],[15,36]]]},\"bbox\":[15,36,15.1,36.1],"
        + "\"properties\":{\"datetime\":\"2024-06-01T10:20:30Z\"},\"links\":[],\"assets\":{" + assets + "}}]}";
  }

  private static String model() {
    return BundledModel.dir().toString();
  }

  @Test
  void embedCarriesTheItemIntoEveryRow() throws Exception {
    Path table = tmp.resolve("w.parquet");
    CliRun r = CliRun.of("embed", "--model", model(), "--stac", items.toString(), "--asset", "visual", "--window", "256",
        "--out", table.toString());
    assertEquals(0, r.code(), r.err());
    try (DuckDb db = new DuckDb()) {
      List<Map<String, Object>> rows = db.query("SELECT source, product_id, stac_collection, stac_asset, timestamp FROM "
          + "read_parquet(" + DuckDb.literal(table) + ")");
      assertEquals(6, rows.size(), "3 x 2 windows of 256 over 768 x 512");
      for (Map<String, Object> row : rows) {
        assertEquals(tmp.resolve("scenes/scene.tif").toAbsolutePath().toString(), row.get("source"));
        assertEquals("S2B_33SVB_20240601", row.get("product_id"));
        assertEquals("sentinel-2-test", row.get("stac_collection"));
        assertEquals("visual", row.get("stac_asset"));
        assertEquals(Instant.parse("2024-06-01T10:20:30Z"), DuckDb.instant(row.get("timestamp")));
      }
    }
  }

  @Test
  void scanWritesOneFolderPerItemAndIndexTakesTheSameScenes() throws Exception {
    Path out = tmp.resolve("scan");
    CliRun scan = CliRun.of("scan", "--model", model(), "--stac", items.toString(), "--asset", "visual", "--query",
        "a forest", "--window", "256", "--out", out.toString());
    assertEquals(0, scan.code(), scan.err());
    assertTrue(Files.exists(out.resolve("windows.parquet")), "one scene: its outputs in --out itself");
    try (DuckDb db = new DuckDb()) {
      assertEquals(6, db.query("SELECT product_id FROM read_parquet(" + DuckDb.literal(out.resolve("windows.parquet"))
          + ") WHERE product_id = 'S2B_33SVB_20240601'").size());
    }
    CliRun index = CliRun.of("index", "--model", model(), "--stac", items.toString(), "--asset", "visual", "--window",
        "256", "--index", tmp.resolve("idx").toString());
    assertEquals(0, index.code(), index.err());
    CliRun search = CliRun.of("search", "--index", tmp.resolve("idx").toString(), "a forest", "-k", "3");
    assertEquals(0, search.code(), search.err());
    assertTrue(search.out().contains("scene.tif#x="), search.out());
  }

  @Test
  void mistakesAreOneLine() throws Exception {
    CliRun noAsset = CliRun.of("embed", "--model", model(), "--stac", items.toString(), "--window", "256", "--out",
        tmp.resolve("x.parquet").toString());
    assertEquals(2, noAsset.code(), noAsset.err());
    assertTrue(noAsset.err().contains("--stac needs --asset"), noAsset.err());
    Path other = tmp.resolve("other-asset.json");
    Files.writeString(other, itemCollection("\"B04\":{\"href\":\"scenes/scene.tif\"}"));
    CliRun missing = CliRun.of("scan", "--model", model(), "--stac", other.toString(), "--asset", "visual", "--query",
        "a forest", "--window", "256", "--out", tmp.resolve("scan-missing").toString());
    assertEquals(65, missing.code(), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    assertTrue(missing.err().contains("visual") && missing.err().contains("S2B_33SVB_20240601"), missing.err());
    assertFalse(Files.exists(tmp.resolve("scan-missing")), "nothing written");
  }
}

package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.geo.Gdal;
import io.remoteclip.parquet.DuckDb;
import io.remoteclip.testing.BundledModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scene GDAL wrote with a TIFF DateTime tag ({@code gdal_translate -mo TIFFTAG_DATETIME=...}) goes through
 * {@code embed --window} and {@code scan} as the same scene without the tag does (same footprints and embeddings,
 * read back by DuckDB), its rows stamped with the tag's time.
 */
class DatedSceneCommandsTest {
  /** 2024-05-01T10:00:00Z in seconds since 1970. */
  private static final double TAG_TIME = 1_714_557_600;

  @TempDir Path tmp;

  @Test
  void embedWindowsAndScanReadADatedScene() throws Exception {
    Gdal.require();
    Path src = tmp.resolve("src.tif");
    TestScenes.writeUtm(src, TestScenes.mosaic());
    Path plain = Files.createDirectories(tmp.resolve("plain")).resolve("scene.tif");
    Path dated = Files.createDirectories(tmp.resolve("dated")).resolve("scene.tif");
    Gdal.run("gdal_translate", "-q", "-co", "TILED=YES", src.toString(), plain.toString());
    Gdal.run("gdal_translate", "-q", "-co", "TILED=YES", "-mo", "TIFFTAG_DATETIME=2024:05:01 10:00:00", src.toString(),
        dated.toString());
    List<Map<String, Object>> plainRows = embedWindows(plain);
    List<Map<String, Object>> datedRows = embedWindows(dated);
    assertEquals(6, datedRows.size(), "3 x 2 windows of 256 over 768 x 512");
    for (int i = 0; i < datedRows.size(); i++) {
      Map<String, Object> p = plainRows.get(i);
      Map<String, Object> d = datedRows.get(i);
      assertArrayEquals(DuckDb.ints(p.get("pixel_bbox")), DuckDb.ints(d.get("pixel_bbox")));
      assertArrayEquals((byte[]) p.get("geometry"), (byte[]) d.get("geometry"), "footprint of window " + i);
      assertArrayEquals(DuckDb.floats(p.get("embedding")), DuckDb.floats(d.get("embedding")), 0f);
      assertNull(p.get("t"), "no tag, no time");
      assertEquals(TAG_TIME, ((Number) d.get("t")).doubleValue(), 0.0);
    }

    Path out = tmp.resolve("scan");
    CliRun scan = CliRun.of("scan", "--model", BundledModel.dir().toString(), "--query", "a dense forest", "--window",
        "256", "--stride", "256", "--out", out.toString(), dated.toString());
    assertEquals(0, scan.code(), scan.err());
    try (DuckDb db = new DuckDb()) {
      List<Map<String, Object>> rows = db.query("SELECT epoch(timestamp) AS t FROM read_parquet("
          + DuckDb.literal(out.resolve("windows.parquet")) + ") WHERE geometry IS NOT NULL");
      assertEquals(6, rows.size());
      for (Map<String, Object> row : rows) {
        assertEquals(TAG_TIME, ((Number) row.get("t")).doubleValue(), 0.0);
      }
    }
  }

  private List<Map<String, Object>> embedWindows(Path scene) throws Exception {
    Path table = scene.resolveSibling("windows.parquet");
    CliRun r = CliRun.of("embed", "--model", BundledModel.dir().toString(), "--images", scene.toString(), "--window",
        "256", "--stride", "256", "--out", table.toString());
    assertEquals(0, r.code(), r.err());
    try (DuckDb db = new DuckDb()) {
      return db.query("SELECT pixel_bbox, geometry, embedding, epoch(timestamp) AS t FROM read_parquet("
          + DuckDb.literal(table) + ") ORDER BY pixel_bbox[2], pixel_bbox[1]");
    }
  }
}

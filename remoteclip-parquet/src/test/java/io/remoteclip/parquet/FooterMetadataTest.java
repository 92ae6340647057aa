package io.remoteclip.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Footer keys added to part files another writer made (here DuckDB, standing in for Spark): the rows are the
 * same afterwards, the writer's own keys are kept, the {@code geo} bbox comes from the statistics, and a pass
 * killed half-way is finished by the next one.
 */
class FooterMetadataTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** A part file with a WKB geometry and its bbox struct, and a row without either. */
  private Path part(DuckDb db, Path table, String name, double lon0) throws Exception {
    Files.createDirectories(table);
    Path file = table.resolve(name);
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      double x = lon0 + i * 0.01;
      double[][] ring = {{x, 45}, {x + 0.01, 45}, {x + 0.01, 45.01}, {x, 45.01}, {x, 45}};
      values.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
          "('id%d', from_hex('%s'), {'xmin': %s::DOUBLE, 'ymin': 45.0::DOUBLE, 'xmax': %s::DOUBLE, 'ymax': 45.01::DOUBLE}, [%d.5, 1.0]::FLOAT[])",
          i, HexFormat.of().formatHex(Wkb.polygon(ring)), x, x + 0.01, i));
    }
    values.append(",('nogeo', NULL, NULL, [9.0, 9.0]::FLOAT[])");
    db.execute("COPY (SELECT * FROM (VALUES " + values + ") t(id, geometry, bbox, embedding)) TO " + DuckDb.literal(file)
        + " (FORMAT PARQUET, KV_METADATA {writer_key: 'kept'})");
    return file;
  }

  @Test
  void addsGeoToEveryPartWithoutTouchingRows() throws Exception {
    Path table = tmp.resolve("table");
    try (DuckDb db = new DuckDb()) {
      part(db, table, "part-00000.parquet", 10.0);
      part(db, table, "part-00001.parquet", 20.0);
      Files.writeString(table.resolve("_SUCCESS"), "");
      String glob = DuckDb.literal(table + "/*.parquet");
      List<Map<String, Object>> before = db.query("SELECT * FROM read_parquet(" + glob + ", filename = true) ORDER BY filename, id");
      String groups = "SELECT file_name, row_group_id, row_group_num_rows, path_in_schema, total_compressed_size"
          + " FROM parquet_metadata(" + glob + ") ORDER BY ALL";
      List<Map<String, Object>> layoutBefore = db.query(groups);

      TableMetadata meta = TableMetadata.of("model#1", "ref", null, 2, true);
      FooterMetadata.Pass pass = FooterMetadata.completeTable(new Configuration(), new org.apache.hadoop.fs.Path(table.toUri()), meta);
      assertEquals(new FooterMetadata.Pass(2, 0, 0), pass);

      List<Map<String, Object>> after = db.query("SELECT * FROM read_parquet(" + glob + ", filename = true) ORDER BY filename, id");
      assertEquals(before.size(), after.size());
      for (int i = 0; i < before.size(); i++) {
        assertEquals(before.get(i).get("id"), after.get(i).get("id"));
        assertArrayEquals((byte[]) before.get(i).get("geometry"), (byte[]) after.get(i).get("geometry"));
        assertEquals(String.valueOf(before.get(i).get("bbox")), String.valueOf(after.get(i).get("bbox")));
        assertEquals(String.valueOf(before.get(i).get("embedding")), String.valueOf(after.get(i).get("embedding")));
      }
      for (String name : List.of("part-00000.parquet", "part-00001.parquet")) {
        Path f = table.resolve(name);
        Map<String, String> kv = db.footer(f.toString());
        assertEquals("kept", kv.get("writer_key"), "the writer's own keys stay");
        JsonNode geo = JSON.readTree(kv.get("geo"));
        GeoKeys.assertGeoParquet11(geo);
        Map<String, Object> box = db.query("SELECT min(bbox.xmin) AS a, min(bbox.ymin) AS b, max(bbox.xmax) AS c, max(bbox.ymax) AS d"
            + " FROM read_parquet(" + DuckDb.literal(f) + ")").get(0);
        JsonNode b = geo.path("columns").path("geometry").path("bbox");
        assertEquals((double) box.get("a"), b.get(0).asDouble(), 0.0);
        assertEquals((double) box.get("b"), b.get(1).asDouble(), 0.0);
        assertEquals((double) box.get("c"), b.get(2).asDouble(), 0.0);
        assertEquals((double) box.get("d"), b.get(3).asDouble(), 0.0);
        assertEquals("model#1", JSON.readTree(kv.get("remoteclip")).path("model_id").asText());
      }

      assertEquals(layoutBefore, db.query(groups), "row groups and column chunks copied as they were (no re-encoding)");
      assertEquals(new FooterMetadata.Pass(0, 2, 0),
          FooterMetadata.completeTable(new Configuration(), new org.apache.hadoop.fs.Path(table.toUri()), meta), "idempotent");
    }
  }

  @Test
  void aKilledPassIsFinishedByTheNext() throws Exception {
    Path table = tmp.resolve("killed");
    try (DuckDb db = new DuckDb()) {
      Path done = part(db, table, "part-00000.parquet", 10.0);
      Path torn = part(db, table, "part-00001.parquet", 20.0);
      // killed between deleting part 0 and renaming its finished copy into place
      Files.move(done, table.resolve(".part-00000.parquet" + FooterMetadata.SUFFIX));
      // killed while writing part 1's copy
      Files.writeString(table.resolve(".part-00001.parquet" + FooterMetadata.SUFFIX), "PAR1 torn");
      long rows = 14;

      FooterMetadata.Pass pass = FooterMetadata.completeTable(new Configuration(),
          new org.apache.hadoop.fs.Path(table.toUri()), TableMetadata.of("m", null, null, 2, false));
      assertEquals(1, pass.recovered());
      assertEquals(2, pass.rewritten());
      assertTrue(Files.exists(done));
      assertTrue(Files.exists(torn));
      try (var left = Files.list(table)) {
        assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(FooterMetadata.SUFFIX)), "no copy left");
      }
      assertEquals(rows, ((Number) db.query("SELECT count(*) AS n FROM read_parquet(" + DuckDb.literal(table + "/*.parquet")
          + ")").get(0).get("n")).longValue());
      assertTrue(db.footer(done.toString()).containsKey("geo"));
      assertTrue(db.footer(torn.toString()).containsKey("geo"));
    }
  }
}

package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.npy.Npy;
import io.remoteclip.parquet.DuckDb;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import io.remoteclip.vector.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench archive} on the bundled model: rows are seed rows plus noise of the asked norm, footprints tile the
 * region row-major from the north-west, the model identity carries over so that the indexed archive answers a text
 * query inside a box with exactly the tiles in it, and the .npy outputs hold the table's rows.
 */
class BenchArchiveCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static Path seeds;

  @BeforeAll
  static void embedSeeds() {
    Path dir = tmp.resolve("seeds");
    SampleImages.ucmLike(dir, 101, 701, 1301);
    seeds = tmp.resolve("seeds.parquet");
    // raw (unnormalised) embeddings, as embed writes them by default: the noise is relative to the unit seed
    CliRun r = CliRun.of("embed", "--model", BundledModel.dir().toString(), "--images", dir.toString(),
        "--out", seeds.toString());
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void rowsAreSeedsPlusNoiseOnAGridAndSearchableByTextInABox() throws Exception {
    Path out = tmp.resolve("a.parquet");
    Path base = tmp.resolve("b.npy");
    Path queries = tmp.resolve("q.npy");
    CliRun r = CliRun.of("bench", "archive", "--from", seeds.toString(), "--rows", "50", "--bbox", "10,40,11,41",
        "--noise", "0.2", "--out", out.toString(), "--base", base.toString(), "--queries", queries.toString(),
        "--query-count", "7");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("wrote " + out + ": 50 rows of "), r.out());
    float[][] b = Npy.readMatrix(base);
    assertEquals(50, b.length);
    assertEquals(7, Npy.readMatrix(queries).length);
    try (DuckDb db = new DuckDb()) {
      Map<String, float[]> seedRows = new HashMap<>();
      for (Map<String, Object> s : db.query("SELECT source, embedding FROM read_parquet(" + DuckDb.literal(seeds) + ")")) {
        seedRows.put((String) s.get("source"), DuckDb.floats(s.get("embedding")));
      }
      assertEquals(db.footer(seeds.toString()).get("remoteclip"), db.footer(out.toString()).get("remoteclip"));
      List<Map<String, Object>> rows = db.query("SELECT source, embedding, bbox.xmin AS w, bbox.ymax AS n, bbox.xmax AS e, "
          + "bbox.ymin AS s FROM read_parquet(" + DuckDb.literal(out) + ")");
      assertEquals(50, rows.size());
      double side = 1.0 / 8; // ceil(sqrt(50)) tiles a side
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> row = rows.get(i);
        String source = (String) row.get("source");
        assertTrue(source.endsWith("#archive-row=" + i), source);
        String key = source.substring(0, source.indexOf('#'));
        float[] seed = seedRows.entrySet().stream().filter(x -> x.getKey().endsWith(key)).findFirst().orElseThrow().getValue();
        assertTrue(Math.abs(Math.sqrt(dot(seed, seed)) - 1) > 0.1, "the seeds are not unit rows: " + dot(seed, seed));
        float[] v = DuckDb.floats(row.get("embedding"));
        assertArrayEquals(b[i], v, 0f, "the .npy row is the table's row");
        // unit seed + noise of norm 0.2, normalised: cosine about 1/sqrt(1.04) = 0.981
        double cos = dot(Vectors.normalized(seed), v);
        assertTrue(cos > 0.95 && cos < 0.995, "cosine to its seed " + cos);
        assertEquals(1.0, dot(v, v), 1e-5);
        assertEquals(10 + (i % 8) * side, ((Number) row.get("w")).doubleValue(), 1e-6);
        assertEquals(41 - (i / 8) * side, ((Number) row.get("n")).doubleValue(), 1e-6);
        assertEquals(side, ((Number) row.get("e")).doubleValue() - ((Number) row.get("w")).doubleValue(), 1e-6);
        assertEquals(side, ((Number) row.get("n")).doubleValue() - ((Number) row.get("s")).doubleValue(), 1e-6);
      }
    }
    Path idx = tmp.resolve("idx");
    CliRun index = CliRun.of("index", "--from-parquet", out.toString(), "--index", idx.toString());
    assertEquals(0, index.code(), index.err());
    // the north-west 2 x 2 tiles, shrunk so that only those four intersect it
    CliRun search = CliRun.of("search", "--index", idx.toString(), "a beach", "-k", "50", "--json", "--bbox",
        "10.01,40.76,10.24,40.99");
    assertEquals(0, search.code(), search.err());
    TreeSet<String> found = new TreeSet<>();
    for (JsonNode h : JSON.readTree(search.out()).get("results")) {
      String p = h.get("path").asText();
      found.add(p.substring(p.indexOf('#') + 1));
    }
    assertEquals(new TreeSet<>(List.of("archive-row=0", "archive-row=1", "archive-row=8", "archive-row=9")), found);
  }

  @Test
  void aTableWithoutModelIdentityIsOneLineAndNothingIsWritten() throws Exception {
    Path npy = tmp.resolve("x.npy");
    Npy.writeFloats(npy, new float[] {1, 0, 0, 1}, 2, 2);
    Path out = tmp.resolve("never.parquet");
    CliRun r = CliRun.of("bench", "archive", "--from", npy.toString(), "--rows", "5", "--bbox", "0,0,1,1", "--out",
        out.toString());
    assertEquals(65, r.code(), r.err());
    List<String> lines = new ArrayList<>(r.err().strip().lines().toList());
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("remoteclip: " + npy), r.err());
    assertFalse(Files.exists(out));
    try (var files = Files.list(tmp)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".never.parquet")), "no temp file left");
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}

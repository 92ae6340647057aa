package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.index.GraphOptions;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.npy.Npy;
import io.remoteclip.vector.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench search}: its recall arithmetic against brute force, its generated sets, and its refusals. */
class BenchSearchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void recallIsTheShareOfTheTrueTopKFound() {
    int[][] exact = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
    int[][] found = {{4, 3, 2, 1}, {5, 6, 99, 98}, {9}};
    // 4/4, 2/4, 1/4 (a short answer counts its missing rows as misses)
    assertEquals((1.0 + 0.5 + 0.25) / 3, BenchSearchCommand.recall(found, exact, 4), 1e-12);
    // a repeated row counts once
    assertEquals(0.5, BenchSearchCommand.recall(new int[][] {{1, 1, 2, 2}}, new int[][] {{1, 2, 3, 4}}, 4), 1e-12);
  }

  @Test
  void exactTopKIsTheBruteForceRanking() throws Exception {
    float[][][] sets = BenchSearchCommand.generate(3000, 40, 24, 5);
    float[][] base = sets[0];
    float[][] q = sets[1];
    int[][] top = BenchSearchCommand.exactTopK(base, q, 10, 2);
    for (int i = 0; i < q.length; i++) {
      float[] query = q[i];
      int[] sorted = IntStream.range(0, base.length).boxed()
          .sorted(Comparator.comparingDouble((Integer r) -> -org.apache.lucene.util.VectorUtil.dotProduct(query, base[r]))
              .thenComparingInt(r -> r))
          .limit(10).mapToInt(Integer::intValue).toArray();
      assertArrayEquals(sorted, top[i], "query " + i);
    }
  }

  @Test
  void generatedSetsAreReproducibleUnitVectors() throws Exception {
    Path b1 = tmp.resolve("b1.npy");
    Path q1 = tmp.resolve("q1.npy");
    assertEquals(0, run("bench", "search", "--generate", "500,16", "--base", b1.toString(), "--queries", q1.toString(),
        "--query-count", "20"), err.toString());
    Path b2 = tmp.resolve("b2.npy");
    assertEquals(0, run("bench", "search", "--generate", "500,16", "--base", b2.toString(), "--queries",
        tmp.resolve("q2.npy").toString(), "--query-count", "20"), err.toString());
    assertArrayEquals(Files.readAllBytes(b1), Files.readAllBytes(b2));
    float[][] rows = Npy.readMatrix(b1);
    assertEquals(500, rows.length);
    assertEquals(16, rows[0].length);
    assertEquals(1.0, Vectors.norm(rows[7]), 1e-5);
    assertEquals(20, Npy.readMatrix(q1).length);
    assertEquals(0, run("bench", "search", "--generate", "500,16", "--seed", "6", "--base", b2.toString(), "--queries",
        tmp.resolve("q2.npy").toString()), err.toString());
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(b1), Files.readAllBytes(b2)));
  }

  @Test
  void measuresRecallOfTheIndexItBuildsAndKeepsItWhenAsked() throws Exception {
    Path b = tmp.resolve("b.npy");
    Path q = tmp.resolve("q.npy");
    assertEquals(0, run("bench", "search", "--generate", "4000,32", "--base", b.toString(), "--queries", q.toString(),
        "--query-count", "50"));
    Path idx = tmp.resolve("idx");
    int code = run("bench", "search", "--base", b.toString(), "--queries", q.toString(), "--ef", "10,200", "--threads",
        "1,2", "--index-quantize", "int8", "--m", "16", "--beam", "64", "--index", idx.toString(), "--force-merge", "--runs", "3", "--json");
    assertEquals(0, code, err.toString());
    JsonNode r = JSON.readTree(out.toString());
    assertEquals(4000, r.get("n").asInt());
    assertEquals("int8", r.get("quantize").asText());
    assertEquals(16, r.get("m").asInt());
    assertTrue(r.get("build_vectors_per_s").asDouble() > 0);
    assertEquals(1, r.get("segments").asInt());
    assertTrue(r.get("index_bytes").asLong() > 4000L * 32 * 4, "float vectors kept next to the int8 ones");
    assertTrue(r.get("peak_rss_bytes").asLong() > 0);
    // searching is measured after BASE was dropped: its peak is at most the run's and at least where it started
    long searching = r.get("peak_rss_searching_bytes").asLong();
    assertTrue(searching >= r.get("rss_before_searching_bytes").asLong() && searching > 0
        && searching <= r.get("peak_rss_bytes").asLong(), out.toString());
    JsonNode efs = r.get("results");
    assertEquals(2, efs.size());
    double wide = efs.get(1).get("recall").asDouble();
    assertTrue(wide >= 0.9, "recall@10 at ef 200: " + wide);
    assertTrue(efs.get(1).get("qps_threads").has("2"));
    // q/s is the best of the --runs timed passes
    JsonNode runs = efs.get(1).get("qps_1_runs");
    assertEquals(3, runs.size());
    double best = 0;
    for (JsonNode x : runs) {
      best = Math.max(best, x.asDouble());
    }
    assertEquals(best, efs.get(1).get("qps_1").asDouble(), 0.05);
    // the same figure from the kept index, by hand
    float[][] base = Npy.readMatrix(b);
    float[][] queries = Npy.readMatrix(q);
    int[][] exact = BenchSearchCommand.exactTopK(Vectors.normalizedRows(base), Vectors.normalizedRows(queries), 10, 1);
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(new GraphOptions("int8", 16, 64), index.graph());
      int[][] found = new int[queries.length][];
      for (int i = 0; i < queries.length; i++) {
        found[i] = index.search(queries[i], 10, null, 200).stream().mapToInt(h -> Integer.parseInt(h.path())).toArray();
      }
      assertEquals(BenchSearchCommand.recall(found, exact, 10), wide, 1e-4);
    }
    // the kept index refuses another quantisation in one line and stays as it was
    Set<String> before = listing(idx);
    code = run("bench", "search", "--base", b.toString(), "--queries", q.toString(), "--index-quantize", "none",
        "--index", idx.toString());
    assertNotEquals(0, code);
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().contains("quantisation int8, this run none"), err.toString());
    assertEquals(before, listing(idx));
  }

  @Test
  void badInputGetsOneLineAndWritesNothing() throws Exception {
    Path b = tmp.resolve("b.npy");
    Path q = tmp.resolve("q.npy");
    assertEquals(0, run("bench", "search", "--generate", "300,8", "--base", b.toString(), "--queries", q.toString(),
        "--query-count", "5"));
    Path q16 = tmp.resolve("q16.npy");
    Npy.writeFloats(q16, new float[5 * 16], 5, 16);
    Path nan = tmp.resolve("nan.npy");
    float[] values = new float[5 * 8];
    java.util.Arrays.fill(values, 1f);
    values[3 * 8 + 2] = Float.NaN;
    Npy.writeFloats(nan, values, 5, 8);
    Path idx = tmp.resolve("never");
    String[][] cases = {
        {"--queries", q16.toString()},
        {"--queries", nan.toString()},
        {"--queries", q.toString(), "--ef", "32,5"},
        {"--queries", q.toString(), "--index-quantize", "int2"},
        {"--queries", q.toString(), "--m", "0"},
    };
    String[] expect = {"8-dimensional", "row 3 is not finite", "--ef 5 is smaller than -k 10", "int2", "--m"};
    for (int i = 0; i < cases.length; i++) {
      String[] args = Stream.concat(Stream.of("bench", "search", "--base", b.toString(), "--index", idx.toString()),
          Stream.of(cases[i])).toArray(String[]::new);
      int code = run(args);
      assertNotEquals(0, code, String.join(" ", args));
      String first = err.toString().strip().lines().findFirst().orElse("");
      assertTrue(first.contains(expect[i]), first);
      if (code != 2) { // usage errors add the usage; data errors are one line
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
      }
      assertFalse(Files.exists(idx), "nothing written for " + String.join(" ", cases[i]));
    }
  }

  private static Set<String> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}

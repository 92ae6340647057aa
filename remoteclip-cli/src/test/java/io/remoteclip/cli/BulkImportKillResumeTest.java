package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.SearchHit;
import io.remoteclip.npy.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code index --from-parquet} of drawn vectors in a child JVM killed with SIGKILL after some commits, then run
 * again: the index holds every row exactly once, in one graph, and finds the brute-force neighbours.
 */
class BulkImportKillResumeTest {
  private static final int ROWS = 8_000;
  private static final int EVERY = 2_000;
  @TempDir Path tmp;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    assertEquals(0, code, err.toString());
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void killedImportIsResumedWithoutDuplicatesOrGaps() throws Exception {
    Path base = tmp.resolve("base.npy");
    Path queries = tmp.resolve("queries.npy");
    Path table = tmp.resolve("vectors.parquet");
    run("bench", "search", "--generate", ROWS + ",32", "--base", base.toString(), "--queries", queries.toString(),
        "--query-count", "200", "--table", table.toString(), "--seed", "7");
    Path idx = tmp.resolve("idx");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "io.remoteclip.cli.Main", "index", "--from-parquet", table.toString(), "--index", idx.toString(),
        "--commit-every", Integer.toString(EVERY), "--threads", "2")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < deadline && child.isAlive() && IndexKillResumeTest.committedDocs(idx) < 2 * EVERY) {
        Thread.sleep(20);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no rollback
      child.waitFor(30, TimeUnit.SECONDS);
    }
    int afterKill = IndexKillResumeTest.committedDocs(idx);
    String log = Files.readString(tmp.resolve("child.log"));
    assumeTrue(afterKill < ROWS, "the child finished before it could be killed (" + afterKill + " documents)");
    assertTrue(afterKill >= 2 * EVERY, "commits were made before the kill: " + afterKill + "\n" + log);
    assertEquals(0, afterKill % EVERY, "only whole commit intervals survive a kill: " + afterKill);

    String out = run("index", "--from-parquet", table.toString(), "--index", idx.toString(),
        "--commit-every", Integer.toString(EVERY))[0];
    assertTrue(out.contains(ROWS + " rows: " + (ROWS - afterKill) + " added, 0 replaced")
        && out.contains(afterKill + " unchanged") && out.contains(ROWS + " documents"), "continued after the last commit: " + out);

    try (var dir = FSDirectory.open(idx)) {
      assertEquals(1, SegmentInfos.readLatestCommit(dir).size(), "one graph");
    }
    float[][] b = Npy.readMatrix(base);
    float[][] q = Npy.readMatrix(queries);
    int[][] exact = BenchSearchCommand.exactTopK(b, q, 10, 1);
    try (ImageIndex index = ImageIndex.open(idx)) {
      Set<String> keys = new HashSet<>();
      for (ImageRecord r : index.records(false)) {
        assertTrue(keys.add(r.path()), "duplicate document " + r.path());
      }
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < ROWS; i++) {
        expected.add(Integer.toString(i));
      }
      assertEquals(expected, keys, "every row exactly once");
      int[][] found = new int[q.length][];
      for (int i = 0; i < q.length; i++) {
        List<SearchHit> hits = index.search(q[i], 10, null, 64);
        found[i] = hits.stream().mapToInt(h -> Integer.parseInt(h.path())).toArray();
      }
      double recall = BenchSearchCommand.recall(found, exact, 10);
      assertTrue(recall >= 0.95, "recall@10 at ef 64 against brute force: " + recall);
    }
  }
}

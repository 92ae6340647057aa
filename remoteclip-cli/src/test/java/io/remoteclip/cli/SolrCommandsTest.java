package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.testing.BundledModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solr dev-cluster} in a child JVM as a user runs it (URL on stdout, SIGTERM stops it cleanly), and
 * {@code solr create-collection} against it.
 */
class SolrCommandsTest {
  @TempDir Path tmp;


  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void devClusterServesCreateCollectionAndStopsOnSigterm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path data = tmp.resolve("cluster");
    Path errLog = tmp.resolve("dev-cluster.err()");
    Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "io.remoteclip.cli.Main", "solr", "dev-cluster", "--nodes", "2", "--port", "0", "--dir", data.toString())
        .redirectError(errLog.toFile()).start();
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String url = stdout.readLine();
      assertTrue(url != null && url.matches("http://127\\.0\\.0\\.1:\\d+/solr"), "URL on stdout: " + url
          + "; stderr: " + Files.readString(errLog));

      String[] target = {"--solr", url, "--collection", "tiles", "--model", BundledModel.dir().toString()};
      CliRun created = run(concat(new String[] {"solr", "create-collection", "--shards", "2", "--replicas", "1"}, target));
      assertEquals(0, created.code(), created.err());
      assertTrue(created.out().contains("created collection tiles: 2 shard(s) x 1 replica(s), 192-dimensional"), created.out());
      CliRun again = run(concat(new String[] {"solr", "create-collection"}, target));
      assertEquals(65, again.code());
      assertEquals("remoteclip: collection tiles already exists", again.err().strip());
      CliRun badUrl = run("solr", "create-collection", "--solr", "localhost:8983", "--collection", "x");
      assertEquals(2, badUrl.code(), badUrl.err());

      child.destroy(); // SIGTERM
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "dev cluster stops within a minute of SIGTERM");
      assertTrue(Files.readString(errLog).contains("SolrCloud stopped"), Files.readString(errLog));
    } finally {
      child.destroyForcibly();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

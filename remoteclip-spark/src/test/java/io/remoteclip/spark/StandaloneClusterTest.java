package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remoteclip-spark embed --window --ship files} on a real standalone cluster: {@code remoteclip-spark
 * dev-cluster} (a JVM of its own) starts a Master and two Workers, each a JVM from the Maven test class path
 * ({@link SparkDevCluster}); this JVM is the driver, the Workers start the executors. The rows must be local
 * mode's: the same windows, ids, footprints, and embeddings within 1e-6. SIGTERM to dev-cluster stops every
 * process it started.
 */
class StandaloneClusterTest {
  @TempDir Path tmp;

  /**
   * Runs {@code remoteclip-spark args} with this JVM as the cluster's driver: the tests' local session steps
   * aside (a JVM holds one SparkContext) and comes back afterwards.
   */
  private static SparkMainTest.Result drive(String... args) {
    SparkTests.stop();
    System.setProperty("spark.driver.host", "127.0.0.1"); // executors call back on loopback, like the daemons
    System.setProperty("spark.executor.memory", "640m");
    // the job starts once both executors are up, so the first tasks go to both
    System.setProperty("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    System.setProperty("spark.scheduler.maxRegisteredResourcesWaitingTime", "180s");
    try {
      return SparkMainTest.spark(args);
    } finally {
      System.clearProperty("spark.driver.host");
      System.clearProperty("spark.executor.memory");
      System.clearProperty("spark.scheduler.minRegisteredResourcesRatio");
      System.clearProperty("spark.scheduler.maxRegisteredResourcesWaitingTime");
      SparkSession.getDefaultSession().foreach(s -> {
        s.stop();
        return null;
      });
    }
  }

  /** The URL {@code dev-cluster} prints once its workers registered. */
  private static String masterUrl(Process cluster, Path log) throws Exception {
    java.util.regex.Pattern url = java.util.regex.Pattern.compile("(?m)^(spark://\\S+)$");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline && cluster.isAlive()) {
      var m = url.matcher(Files.readString(log));
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("dev-cluster printed no master URL: " + Files.readString(log));
  }

  @Test
  void windowsOnTwoWorkersEqualLocalMode() throws Exception {
    Path scenes = Files.createDirectories(tmp.resolve("scenes"));
    // one scene, its six windows in six tasks: the scene is spread over both executors
    SceneFixtures.write(scenes.resolve("a.tif"), 160, 128, 11, 500_000, 4_650_000);
    String onCluster = tmp.resolve("cluster.parquet").toString();
    String[] args = {"embed", scenes.toString(), "--window", "64", "--stride", "48", "--model", "remoteclip-mini",
        "--out", onCluster, "--ship", "files", "--partitions", "6"};

    long t0 = System.nanoTime();
    Path dir = tmp.resolve("cluster");
    Process cluster = SparkProcess.start(tmp.resolve("dev-cluster.log"), "256m", "dev-cluster", "--port", "0", "--workers",
        "2", "--cores", "1", "--memory", "1g", "--dir", dir.toString());
    List<ProcessHandle> started = List.of();
    try {
      String master = masterUrl(cluster, tmp.resolve("dev-cluster.log"));
      System.out.printf("cluster up in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, master);
      String[] withMaster = Stream.concat(Stream.of(args), Stream.of("--master", master)).toArray(String[]::new);
      SparkMainTest.Result r = drive(withMaster);
      System.out.printf("driver done at %.1f s%n%s%n", (System.nanoTime() - t0) / 1e9, r.out());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("6 windows of 1 scene(s): 6 embedded") && r.out().contains("spark session: " + master),
          r.out());
      for (String worker : List.of("worker-1", "worker-2")) {
        // an executor fetches the shipped files when it runs its first task; the header job (one scene) ran on
        // one executor only, so the other got them in the window stage
        try (Stream<Path> files = Files.walk(dir.resolve(worker))) {
          assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("model.safetensors")),
              worker + "'s executor ran tasks of the job, with the shipped model");
        }
      }
      started = cluster.descendants().toList();
      assertTrue(started.size() >= 3, "master and two workers: " + started);
      cluster.destroy(); // SIGTERM, as Ctrl-C: the command stops what it started
      assertTrue(cluster.waitFor(60, TimeUnit.SECONDS), "dev-cluster stopped on SIGTERM");
      for (ProcessHandle h : started) {
        assertTrue(h.onExit().completeOnTimeout(h, 30, TimeUnit.SECONDS).join().isAlive() == false, h + " stopped");
      }
      assertTrue(Files.readString(tmp.resolve("dev-cluster.log")).contains("Spark cluster stopped"));
    } finally {
      List<ProcessHandle> left = Stream.concat(started.stream(), cluster.descendants()).toList();
      cluster.destroyForcibly();
      left.forEach(ProcessHandle::destroyForcibly);
    }

    SparkSession spark = SparkTests.session();
    String local = tmp.resolve("local.parquet").toString();
    EmbedJob.run(spark, new EmbedJob.Request(new ImageSource.Files(scenes.toString()), local, local + ".errors", true, 0,
        SparkTests.mini(), null).withWindows(new EmbedJob.Windows(64, 48)));
    Map<String, Row> expected = WindowEmbedTest.byKey(spark.read().parquet(local).collectAsList(), scenes);
    Map<String, Row> actual = WindowEmbedTest.byKey(spark.read().parquet(onCluster).collectAsList(), scenes);
    assertEquals(expected.keySet(), actual.keySet());
    assertEquals(6, actual.size());
    for (Map.Entry<String, Row> e : expected.entrySet()) {
      Row a = actual.get(e.getKey());
      Row x = e.getValue();
      for (String column : List.of(Tables.ID, Tables.LENGTH, Tables.MTIME_MS, Tables.WIDTH, Tables.FOOTPRINT, Tables.CRS,
          Tables.MODEL_ID)) {
        assertEquals((Object) x.getAs(column), a.getAs(column), e.getKey() + " " + column);
      }
      assertEquals(WindowEmbedTest.footprint(x), WindowEmbedTest.footprint(a), e.getKey());
      CliReference.assertClose(SparkArrays.floats(x, Tables.EMBEDDING), SparkArrays.floats(a, Tables.EMBEDDING),
          e.getKey(), 1e-6);
    }
  }
}

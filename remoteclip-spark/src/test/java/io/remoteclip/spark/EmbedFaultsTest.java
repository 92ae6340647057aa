package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.image.PngFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Faults of issue 20 on the embed job: concurrent appends, a SIGKILLed first write, bad images, failed jobs. */
class EmbedFaultsTest {
  @TempDir static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SparkTests.session();
  }

  static void assertExactlyOnce(String table, long expected) {
    Dataset<Row> t = spark.read().parquet(table);
    assertEquals(expected, t.count(), table + ": rows");
    assertEquals(expected, t.select(Tables.ID, Tables.PATH).distinct().count(), table + ": distinct (id, path)");
  }

  @Test
  void concurrentAppendsToOneTableAddEachRowOnce() throws Exception {
    Path images = tmp.resolve("concurrent");
    SparkTests.writeImages(images, 6, 21);
    String table = tmp.resolve("concurrent.parquet").toString();
    assertEquals(0, SparkMainTest.spark("embed", images.toString(), "--out", table).code());
    SparkTests.writeImages(images.resolve("more"), 12, 22);

    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<SparkMainTest.Result>> runs = List.of(1, 2).stream().map(i -> two.submit(() -> {
        start.await();
        return SparkMainTest.spark("embed", images.toString(), "--out", table, "--partitions", "3");
      })).toList();
      long embedded = 0;
      for (Future<SparkMainTest.Result> f : runs) {
        SparkMainTest.Result r = f.get(5, TimeUnit.MINUTES);
        assertEquals(0, r.code(), r.err());
        embedded += r.out().contains("12 embedded") ? 12 : 0;
      }
      assertEquals(12, embedded, "one run embeds the new images, the other finds them in the table");
    } finally {
      two.shutdownNow();
    }
    assertExactlyOnce(table, 18);

    // a live holder (this JVM) and no patience: one line naming the lock, exit 74, nothing appended
    Path lock = Path.of(table, "_remoteclip_embed.lock");
    Files.writeString(lock, "other-run pid " + ProcessHandle.current().pid() + " on " + java.net.InetAddress.getLocalHost()
        .getHostName() + " since now\n");
    SparkTests.writeImages(images.resolve("later"), 2, 23);
    SparkMainTest.Result busy = SparkMainTest.spark("embed", images.toString(), "--out", table, "--lock-wait", "0");
    assertEquals(74, busy.code(), busy.err());
    assertEquals(1, lines(busy.err()), busy.err());
    assertTrue(busy.err().contains("is writing to this table") && busy.err().contains(lock.toString()), busy.err());
    Files.delete(lock);
    assertExactlyOnce(table, 18);
  }

  @Test
  void aRerunContinuesTheFirstWriteOfAKilledRun() throws Exception {
    Path images = tmp.resolve("killed");
    SparkTests.writeImages(images, 48, 31);
    Path table = tmp.resolve("killed.parquet");
    Path log = tmp.resolve("killed.log");
    // one image per task: the write stage takes long enough to be caught in the act
    Process p = SparkProcess.start(log, "1g", "embed", images.toString(), "--out", table.toString(), "--master", "local[2]",
        "--partitions", "48");
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.exists(table.resolve("_temporary")) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(p.isAlive(), "the job ended before its write could be interrupted: " + Files.readString(log));
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertTrue(Files.isDirectory(table), "the killed write left its folder");
    assertFalse(Files.exists(table.resolve("_SUCCESS")), "killed before its commit");

    SparkMainTest.Result rerun = SparkMainTest.spark("embed", images.toString(), "--out", table.toString());
    assertEquals(0, rerun.code(), rerun.err());
    assertTrue(rerun.out().contains("48 embedded"), rerun.out());
    assertExactlyOnce(table.toString(), 48);
    SparkMainTest.Result again = SparkMainTest.spark("embed", images.toString(), "--out", table.toString());
    assertTrue(again.out().contains("0 embedded, 48 already in the table"), again.out());

    // a folder this command did not write is still refused, and left as it is
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    SparkMainTest.Result refused = SparkMainTest.spark("embed", images.toString(), "--out", foreign.toString());
    assertEquals(65, refused.code(), refused.err());
    assertTrue(refused.err().contains("not a table a finished embed job wrote"), refused.err());
    assertEquals(List.of("notes.txt"), Files.list(foreign).map(f -> f.getFileName().toString()).toList());
  }

  /**
   * Bad images under a small heap (640 MiB, about 136 MiB of it for decoding): large ones that two decoders
   * at once cannot hold, elongated and lying headers, truncated files, non-images. Each is a row of the errors
   * table, the job exits 0, and images that fit the budget only one at a time are embedded one at a time.
   */
  @Test
  void badImagesAreErrorRowsUnderASmallHeap() throws Exception {
    Path images = tmp.resolve("bad");
    SparkTests.writeImages(images, 4, 41);
    Map<String, String> bad = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      bad.put(png(images.resolve("huge-" + i + ".png"), 9000, 9000, true), "too large for this executor's memory");
    }
    bad.put(png(images.resolve("claims-40000x40000.png"), 40000, 40000, false), "image is too large");
    bad.put(png(images.resolve("line-100000x1.png"), 100000, 1, true), "too large for this executor's memory");
    Path good = images.resolve("img-01.jpg");
    bad.put(write(images.resolve("truncated.jpg"), java.util.Arrays.copyOf(Files.readAllBytes(good), 100)), "corrupt");
    bad.put(write(images.resolve("text.png"), "not an image".getBytes(StandardCharsets.UTF_8)), "not a supported image");
    for (int i = 0; i < 3; i++) {
      png(images.resolve("medium-" + i + ".png"), 2400, 2400, true); // about 66 MiB each: admitted one at a time
    }
    String table = tmp.resolve("bad.parquet").toString();
    Path log = tmp.resolve("bad.log");
    Process p = SparkProcess.start(log, "640m", "embed", images.toString(), "--out", table, "--master", "local[2]",
        "--batch-size", "4", "--decode-threads", "4");
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "embed finished");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("7 embedded") && out.contains(bad.size() + " unreadable"), out);
    assertFalse(out.contains("\tat "), "no stack traces: " + out);

    Map<String, String> reasons = new HashMap<>();
    for (Row r : spark.read().parquet(table + ".errors").collectAsList()) {
      reasons.put(CliReference.localPath(r.getAs(Tables.PATH)).toString(), r.getAs(Tables.REASON));
    }
    assertEquals(bad.keySet(), reasons.keySet());
    bad.forEach((file, why) -> assertTrue(reasons.get(file).contains(why) && reasons.get(file).contains(file),
        file + ": " + reasons.get(file)));
    assertExactlyOnce(table, 7);
  }

  /** A task failure reaches the user as one line and an exit code of the table, never as Spark's trace. */
  @Test
  void aFailedJobIsOneLineAndADocumentedExitCode() throws Exception {
    Path images = tmp.resolve("failing");
    SparkTests.writeImages(images, 4, 51);
    ModelShipment mini = SparkTests.mini();
    Map<String, Integer> expected = Map.of("disk gone", 74, "executor out of memory", 65);
    for (var e : expected.entrySet()) {
      int want = e.getValue();
      String table = tmp.resolve("failing-" + want + ".parquet").toString();
      TaskFault fault = (task, emitted) -> {
        if (want == 74) {
          throw new java.io.UncheckedIOException(new IOException(table + ": disk gone"));
        }
        throw new IllegalStateException("executor out of memory (Java heap space) encoding a batch");
      };
      Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> EmbedJob.run(spark,
          new EmbedJob.Request(new ImageSource.Files(images.toString()), table, table + ".errors", true, 1, mini, fault)));
      CommandLine cmd = SparkMain.newCommandLine();
      java.io.StringWriter err = new java.io.StringWriter();
      cmd.setErr(new java.io.PrintWriter(err, true));
      int code = cmd.getExecutionExceptionHandler().handleExecutionException(failure, cmd, cmd.parseArgs("embed", "x", "--out", table));
      assertEquals(e.getValue(), code, err.toString());
      assertEquals(1, lines(err.toString()), err.toString());
      assertTrue(err.toString().startsWith("remoteclip-spark: "), err.toString());
      assertTrue(err.toString().contains(e.getValue() == 74 ? "disk gone" : "ran out of memory"), err.toString());
    }
    // on a cluster the OOM ends the executor JVM with Spark's code 52, which the driver hears as a lost executor
    for (String lost : List.of("Container exited with a non-zero exit code 52. Error file: prelaunch.err.",
        "The executor with id 3 exited with exit code 52(JVM OOM).", "Command exited with code 52")) {
      Exception e = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 2 in stage 1.0 failed 4 "
          + "times, most recent failure: Lost task 2.3 (executor 3): ExecutorLostFailure (executor 3 exited caused by one "
          + "of the running tasks) Reason: " + lost);
      assertEquals(65, io.remoteclip.cli.ErrorReporter.exitCode(SparkErrors.job(e)), lost);
    }
  }

  /** Lines of stderr, the note that the default model is the bundled demonstration model aside. */
  static long lines(String err) {
    return err.strip().lines().filter(l -> !l.contains("built-in demonstration model")).count();
  }

  private static String write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    return file.toString();
  }

  /** A black RGB PNG of any size; {@code complete=false}: the header only, no pixel data. */
  static String png(Path file, int width, int height, boolean complete) throws IOException {
    return write(file, complete ? PngFixtures.black(width, height) : PngFixtures.header(width, height));
  }
}

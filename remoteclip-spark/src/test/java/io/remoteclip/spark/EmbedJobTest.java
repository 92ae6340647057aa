package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.index.ModelMismatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedJobTest {
  /** Faults run inside tasks; in local mode that is this JVM, so a static flag reports back. */
  static final AtomicBoolean FIRED = new AtomicBoolean();

  @TempDir static Path tmp;
  static Path images;
  static ModelShipment mini;
  static SparkSession spark;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SparkTests.session();
    mini = SparkTests.mini();
    images = tmp.resolve("images");
    SparkTests.writeImages(images, 12, 42);
    Files.write(images.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
    Files.writeString(images.resolve("notes.txt"), "not an image, not listed");
  }

  private static EmbedJob.Request request(Path input, String table, boolean normalize, int partitions, TaskFault fault) {
    return new EmbedJob.Request(new ImageSource.Files(input.toString()), table, table + ".errors", normalize, partitions,
        mini, fault);
  }

  @Test
  void embedsLikeTheCliAndSkipsWhatTheTableHas() throws Exception {
    String table = tmp.resolve("small.parquet").toString();
    EmbedJob.Summary first = EmbedJob.run(spark, request(images, table, true, 0, null));
    assertEquals(13, first.files(), first.toString());
    assertEquals(12, first.embedded(), first.toString());
    assertEquals(1, first.errors(), first.toString());

    Map<String, float[]> cli = CliReference.embed(images, tmp.resolve("cli-small.npy"));
    List<Row> rows = spark.read().parquet(table).collectAsList();
    assertEquals(12, rows.size());
    for (Row r : rows) {
      Path file = CliReference.localPath(r.getAs(Tables.PATH));
      assertEquals(io.remoteclip.hub.Checksums.sha256(Files.readAllBytes(file)), r.getAs(Tables.ID), "id is the SHA-256 of " + file);
      assertEquals(Files.size(file), (long) r.getAs(Tables.LENGTH));
      var decoded = io.remoteclip.image.ImageDecoder.decode(file);
      assertEquals(decoded.width(), (int) r.getAs(Tables.WIDTH));
      assertEquals(decoded.height(), (int) r.getAs(Tables.HEIGHT));
      assertNull(r.getAs(Tables.FOOTPRINT), "not georeferenced");
      assertEquals(mini.modelId(), r.getAs(Tables.MODEL_ID));
      assertEquals("remoteclip-mini", r.getAs(Tables.MODEL_REF));
      CliReference.assertClose(cli.get(file.toString()), SparkArrays.floats(r, Tables.EMBEDDING), file.toString(), 1e-6);
    }

    List<Row> errors = spark.read().parquet(table + ".errors").collectAsList();
    assertEquals(1, errors.size());
    String reason = errors.get(0).getAs(Tables.REASON);
    assertTrue(reason.contains("broken.jpg") && reason.contains("corrupt JPEG"), reason);
    assertFalse(reason.contains("remoteclip-spark-"), "names the user's file, not the temporary copy: " + reason);

    int loads = ExecutorEncoders.loads();
    EmbedJob.Summary again = EmbedJob.run(spark, request(images, table, true, 0, null));
    assertEquals(0, again.embedded(), again.toString());
    assertEquals(12, again.skipped(), again.toString());
    assertEquals(12, spark.read().parquet(table).count(), "a rerun adds no rows");
    assertEquals(loads, ExecutorEncoders.loads(), "the model stays loaded in the executor JVM");

    assertThrows(ModelMismatchException.class,
        () -> EmbedJob.existingTable(spark, table, "RemoteCLIP-ViT-B-32@sha256:0#quickgelu", true));
    String otherBands = io.remoteclip.encode.EncoderId.parse(mini.modelId())
        .withBands(io.remoteclip.image.BandSelection.parse("0,1,2:0:255")).toString();
    ModelMismatchException bands = assertThrows(ModelMismatchException.class,
        () -> EmbedJob.existingTable(spark, table, otherBands, true));
    assertTrue(bands.getMessage().contains("bands"), bands.getMessage());
    assertEquals(1, bands.getMessage().lines().count(), bands.getMessage());
    DataFormatException raw = assertThrows(DataFormatException.class,
        () -> EmbedJob.run(spark, request(images, table, false, 0, null)));
    assertTrue(raw.getMessage().contains("L2-normalised"), raw.getMessage());
  }

  @Test
  void emptyImageFilesAreErrorRowsNotDroppedByTheScan() throws Exception {
    Path dir = tmp.resolve("with-empty");
    SparkTests.writeImages(dir, 3, 61);
    Path empty = Files.createFile(dir.resolve("empty.jpg"));
    Files.createFile(dir.resolve("notes.txt")); // not an image name: not listed at all
    String table = tmp.resolve("with-empty.parquet").toString();
    EmbedJob.Summary s = EmbedJob.run(spark, request(dir, table, true, 0, null));
    assertEquals(4, s.files(), s.toString());
    assertEquals(3, s.embedded(), s.toString());
    assertEquals(1, s.errors(), s.toString());
    List<Row> errors = spark.read().parquet(table + ".errors").collectAsList();
    assertEquals(1, errors.size());
    assertEquals(empty, CliReference.localPath(errors.get(0).getAs(Tables.PATH)));
    assertTrue(errors.get(0).<String>getAs(Tables.REASON).contains(empty.toString()), errors.get(0).toString());
  }

  @Test
  void aRetriedTaskAddsNoDuplicates() throws Exception {
    Path dir = tmp.resolve("retry");
    SparkTests.writeImages(dir, 12, 7);
    String table = tmp.resolve("retry.parquet").toString();
    FIRED.set(false);
    TaskFault failFirstAttempt = (task, emitted) -> {
      if (task.partitionId() == 1 && task.attemptNumber() == 0 && emitted == 2) {
        FIRED.set(true);
        throw new IllegalStateException("injected failure: first attempt of partition 1 after 2 rows");
      }
    };
    long t0 = System.nanoTime();
    EmbedJob.Summary s = EmbedJob.run(spark, request(dir, table, true, 3, failFirstAttempt));
    System.out.println("retry: " + s + ", wall " + (System.nanoTime() - t0) / 1e9);
    assertTrue(FIRED.get(), "the fault was injected");
    assertEquals(12, s.embedded(), s.toString());
    var t = spark.read().parquet(table);
    assertEquals(12, t.count());
    assertEquals(12, t.select(Tables.ID, Tables.PATH).distinct().count());
  }

  @Test
  void aFailedJobLeavesNoTable() throws Exception {
    Path dir = tmp.resolve("fail");
    SparkTests.writeImages(dir, 6, 11);
    String table = tmp.resolve("fail.parquet").toString();
    TaskFault always = (task, emitted) -> {
      if (task.partitionId() == 0 && emitted == 1) {
        throw new IllegalStateException("injected failure on every attempt");
      }
    };
    assertThrows(Exception.class, () -> EmbedJob.run(spark, request(dir, table, true, 2, always)));
    assertFalse(Files.exists(Path.of(table)), "nothing committed");

    EmbedJob.run(spark, request(dir, table, true, 2, null));
    SparkTests.writeImages(dir.resolve("more"), 4, 12);
    assertThrows(Exception.class, () -> EmbedJob.run(spark, request(dir, table, true, 2, always)));
    assertEquals(6, spark.read().parquet(table).count(), "the failed rerun appended nothing");
    assertEquals(4, EmbedJob.run(spark, request(dir, table, true, 2, null)).embedded());
    assertEquals(10, spark.read().parquet(table).count());
  }

  @Test
  void geoTiffsKeepTheirFootprint() throws Exception {
    Path dir = tmp.resolve("geo");
    Files.createDirectories(dir);
    io.remoteclip.index.GeoTiffFixtures.write(dir.resolve("tile.tif"), 32, 24, 500000.0, 4000000.0, 0.5, 32611);
    String table = tmp.resolve("geo.parquet").toString();
    assertEquals(1, EmbedJob.run(spark, request(dir, table, true, 0, null)).embedded());
    Row r = spark.read().parquet(table).first();
    assertEquals("EPSG:32611", r.getAs(Tables.CRS));
    List<Double> box = r.isNullAt(r.fieldIndex(Tables.FOOTPRINT_WGS84)) ? null : r.getList(r.fieldIndex(Tables.FOOTPRINT_WGS84));
    var fp = io.remoteclip.index.GeoFootprint.fromWkt(r.getAs(Tables.FOOTPRINT), r.getAs(Tables.CRS),
        box == null ? null : box.stream().mapToDouble(Double::doubleValue).toArray());
    assertEquals(io.remoteclip.index.GeoFootprint.read(dir.resolve("tile.tif")).orElseThrow(), fp);
    assertEquals(500016.0, fp.maxX(), 1e-9);
    assertEquals(32, (int) r.getAs(Tables.WIDTH));
  }

  @Test
  void aMissingInputIsOneLine() {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> EmbedJob.run(spark, request(tmp.resolve("nope"), tmp.resolve("nope.parquet").toString(), true, 0, null)));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  static Map<String, float[]> byPath(List<Row> rows) {
    Map<String, float[]> m = new HashMap<>();
    for (Row r : rows) {
      m.put(CliReference.localPath(r.getAs(Tables.PATH)).toString(), SparkArrays.floats(r, Tables.EMBEDDING));
    }
    return m;
  }
}

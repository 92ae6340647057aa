package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.cli.Main;
import io.remoteclip.geo.Scene;
import io.remoteclip.index.GeoFootprint;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.SceneWindowIndexer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed --window} in local mode against {@code remoteclip index --window} on the same scenes: the same
 * window keys, footprints and embeddings (1e-6); incremental reruns; bad scenes and windows as error rows.
 */
class WindowEmbedTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static ModelShipment mini;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SparkTests.session();
    mini = SparkTests.mini();
  }

  private static EmbedJob.Request request(Path input, String table, int window, int stride) {
    return new EmbedJob.Request(new ImageSource.Files(input.toString()), table, table + ".errors", true, 0, mini, null)
        .withWindows(new EmbedJob.Windows(window, stride));
  }

  /** The table's rows by key relative to {@code root} ({@code a.tif#x=..}), as index --window keys them. */
  static Map<String, Row> byKey(List<Row> rows, Path root) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : rows) {
      out.put(root.relativize(CliReference.localPath(r.getAs(Tables.PATH))).toString(), r);
    }
    return out;
  }

  static GeoFootprint footprint(Row r) {
    List<Double> box = r.getList(r.fieldIndex(Tables.FOOTPRINT_WGS84));
    return GeoFootprint.fromWkt(r.getAs(Tables.FOOTPRINT), r.getAs(Tables.CRS),
        box.stream().mapToDouble(Double::doubleValue).toArray());
  }

  @Test
  void windowsEqualIndexWindowAndReruns() throws Exception {
    Path scenes = Files.createDirectories(tmp.resolve("scenes"));
    SceneFixtures.write(scenes.resolve("a.tif"), 160, 128, 1, 500_000, 4_650_000);
    SceneFixtures.write(scenes.resolve("b.TIFF"), 96, 100, 2, 510_000, 4_640_000);
    Files.writeString(scenes.resolve("notes.txt"), "not a scene, not listed");
    String table = tmp.resolve("w.parquet").toString();

    EmbedJob.Summary s = EmbedJob.run(spark, request(scenes, table, 64, 48));
    // a: 3 x 2 windows, b: 1 x 1
    assertEquals(7, s.files(), s.toString());
    assertEquals(7, s.embedded(), s.toString());
    assertEquals(0, s.errors(), s.toString());
    assertTrue(s.toString().startsWith("7 windows of 2 scene(s)"), s.toString());

    Path idx = tmp.resolve("idx");
    assertEquals(0, Main.run("index", scenes.toString(), "--window", "64", "--stride", "48", "--index", idx.toString()));
    Map<String, ImageRecord> reference = new HashMap<>();
    try (ImageIndex index = ImageIndex.open(idx)) {
      for (ImageRecord r : index.records(true)) {
        reference.put(r.path(), r);
      }
    }
    Map<String, Row> rows = byKey(spark.read().parquet(table).collectAsList(), scenes);
    assertEquals(new java.util.TreeSet<>(reference.keySet()), new java.util.TreeSet<>(rows.keySet()));
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      ImageRecord ref = reference.get(e.getKey());
      assertEquals(ref.footprint(), footprint(r), e.getKey());
      assertEquals(64, (int) r.getAs(Tables.WIDTH));
      assertEquals(mini.modelId(), r.getAs(Tables.MODEL_ID));
      CliReference.assertClose(ref.embedding(), SparkArrays.floats(r, Tables.EMBEDDING), e.getKey(), 1e-6);
      var key = SceneWindowIndexer.parse(e.getKey()).orElseThrow();
      Path scene = scenes.resolve(key.scene());
      assertEquals(Files.size(scene), (long) r.getAs(Tables.LENGTH));
      assertEquals(Files.getLastModifiedTime(scene).toMillis(), (long) r.getAs(Tables.MTIME_MS));
      try (Scene local = Scene.open(scene)) {
        assertEquals(local.read(key.window()).sha256(), r.getAs(Tables.ID), "id of " + e.getKey());
      }
    }

    EmbedJob.Summary again = EmbedJob.run(spark, request(scenes, table, 64, 48));
    assertEquals(0, again.embedded(), again.toString());
    assertEquals(7, again.skipped(), again.toString());

    SceneFixtures.write(scenes.resolve("c.tif"), 64, 64, 3, 520_000, 4_630_000);
    Files.setLastModifiedTime(scenes.resolve("a.tif"), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
    EmbedJob.Summary more = EmbedJob.run(spark, request(scenes, table, 64, 48));
    assertEquals(1, more.embedded(), "only the new scene's window; a touched scene's windows are read, not added: " + more);
    assertEquals(8, more.skipped() + more.embedded(), more.toString());
    assertEquals(8, spark.read().parquet(table).count());

    DataFormatException raw = assertThrows(DataFormatException.class, () -> EmbedJob.run(spark,
        new EmbedJob.Request(new ImageSource.Files(scenes.toString()), table, table + ".errors", false, 0, mini, null)
            .withWindows(new EmbedJob.Windows(64, 48))));
    assertTrue(raw.getMessage().contains("L2-normalised"), raw.getMessage());
  }

  @Test
  void splitsSpreadOneSceneOverTasks() throws Exception {
    Path one = SceneFixtures.write(Files.createDirectories(tmp.resolve("one")).resolve("big.tif"), 256, 192, 4,
        500_000, 4_650_000);
    String table = tmp.resolve("one.parquet").toString();
    EmbedJob.Request r = new EmbedJob.Request(new ImageSource.Files(one.toString()), table, table + ".errors", true, 5,
        mini, null).withWindows(new EmbedJob.Windows(64, 64));
    assertEquals(12, EmbedJob.run(spark, r).embedded());
    var t = spark.read().parquet(table);
    assertEquals(12, t.select(Tables.PATH).distinct().count());
    // five tasks asked for: splits of ceil(12 / 5) = 3 windows, so the scene was read by four tasks
    assertEquals(4, t.inputFiles().length, "one part file per non-empty task");
  }

  @Test
  void badScenesAndWindowsAreErrorRows() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    SceneFixtures.write(dir.resolve("good.tif"), 128, 64, 5, 500_000, 4_650_000);
    Files.writeString(dir.resolve("text.tif"), "this is not a raster");
    SceneFixtures.write(dir.resolve("small.tif"), 40, 30, 6, 500_000, 4_650_000);
    Path damaged = SceneFixtures.write(dir.resolve("damaged.tif"), 128, 64, 7, 500_000, 4_650_000);
    corruptSecondHalfOfTiles(damaged);
    String table = tmp.resolve("bad.parquet").toString();

    EmbedJob.Summary s = EmbedJob.run(spark, request(dir, table, 64, 64));
    System.out.println("bad input: " + s);
    Map<String, String> reasons = new TreeMap<>();
    for (Row e : spark.read().parquet(table + ".errors").collectAsList()) {
      reasons.put(dir.relativize(CliReference.localPath(e.getAs(Tables.PATH))).toString(), e.getAs(Tables.REASON));
    }
    String text = reasons.get("text.tif");
    assertNotNull(text, reasons.toString());
    assertTrue(text.contains("text.tif: not a TIFF"), text);
    assertTrue(reasons.get("small.tif").endsWith("small.tif: window of 64 px is larger than the 40x30 scene"),
        reasons.toString());
    String window = reasons.get("damaged.tif#x=64,y=0,w=64,h=64");
    assertNotNull(window, reasons.toString());
    assertTrue(window.contains("damaged.tif: corrupt tile or strip in window 64,0"), window);
    for (String reason : reasons.values()) {
      assertEquals(1, reason.lines().count(), reason);
    }
    Map<String, Row> rows = byKey(spark.read().parquet(table).collectAsList(), dir);
    assertTrue(rows.containsKey("good.tif#x=0,y=0,w=64,h=64") && rows.containsKey("good.tif#x=64,y=0,w=64,h=64"),
        rows.keySet().toString());
    assertTrue(rows.containsKey("damaged.tif#x=0,y=0,w=64,h=64"), "the damaged scene's intact window: " + rows.keySet());
    assertEquals(3, s.embedded(), s.toString());
    assertEquals(3, s.errors(), s.toString());
  }

  @Test
  void commandLine() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cli"));
    Path scene = SceneFixtures.write(dir.resolve("s.tif"), 96, 64, 8, 500_000, 4_650_000);
    Path notes = Files.writeString(dir.resolve("notes.txt"), "not a raster");

    SparkMainTest.Result stride = SparkMainTest.spark("embed", dir.toString(), "--stride", "8", "--out", tmp.resolve("x").toString());
    assertEquals(2, stride.code(), stride.err());
    assertTrue(stride.err().startsWith("remoteclip-spark: --stride needs --window"), stride.err());
    assertEquals(1, stride.err().strip().lines().count(), stride.err());
    SparkMainTest.Result zero = SparkMainTest.spark("embed", dir.toString(), "--window", "0", "--out", tmp.resolve("x").toString());
    assertEquals(2, zero.code(), zero.err());
    assertEquals(1, zero.err().strip().lines().count(), zero.err());

    // every scene smaller than the window: nothing embedded, the reason in the errors table, exit 65
    String big = tmp.resolve("big-window.parquet").toString();
    SparkMainTest.Result tooBig = SparkMainTest.spark("embed", dir.toString(), "--window", "128", "--out", big);
    assertEquals(65, tooBig.code(), tooBig.out() + tooBig.err());
    assertTrue(tooBig.out().contains("unreadable scenes or windows: " + big + ".errors"), tooBig.out());
    Row reason = spark.read().parquet(big + ".errors").first();
    assertTrue(reason.<String>getAs(Tables.REASON).endsWith("s.tif: window of 128 px is larger than the 96x64 scene"),
        reason.toString());

    // a file named alone is a scene whatever its name: a text file is an error row
    String text = tmp.resolve("text.parquet").toString();
    SparkMainTest.Result notRaster = SparkMainTest.spark("embed", notes.toString(), "--window", "32", "--out", text);
    assertEquals(65, notRaster.code(), notRaster.out() + notRaster.err());
    assertTrue(spark.read().parquet(text + ".errors").first().<String>getAs(Tables.REASON)
        .contains("notes.txt: not a TIFF or GeoTIFF"));

    SparkMainTest.Result none = SparkMainTest.spark("embed", tmp.resolve("absent").toString(), "--window", "32", "--out",
        tmp.resolve("absent.parquet").toString());
    assertTrue(none.code() == 65 || none.code() == 66, none.code() + " " + none.err());
    List<String> errors = none.err().lines().filter(l -> l.startsWith("remoteclip-spark:")).toList();
    assertEquals(1, errors.size(), none.err());
    assertTrue(errors.get(0).contains("absent: [PATH_NOT_FOUND] Path does not exist"), none.err());

    // scenes listed in a table; a listed file that is missing is an error row
    Path csv = Files.write(tmp.resolve("scenes.csv"), List.of("file", scene.toString(), dir.resolve("gone.tif").toString()));
    String listed = tmp.resolve("listed.parquet").toString();
    SparkMainTest.Result fromTable = SparkMainTest.spark("embed", "--from-table", csv.toString(), "--path-column", "file",
        "--window", "32", "--stride", "32", "--out", listed);
    assertEquals(0, fromTable.code(), fromTable.err());
    assertTrue(fromTable.out().contains("7 windows of 2 scene(s): 6 embedded, 0 already in the table, 1 unreadable"),
        fromTable.out());
    assertTrue(spark.read().parquet(listed + ".errors").first().<String>getAs(Tables.REASON).endsWith("gone.tif: no such file"));
  }

  /** Overwrites the tiles of the scene's right half (the last tile of each row of 32 px tiles) with bytes Deflate refuses. */
  static void corruptSecondHalfOfTiles(Path tiff) throws Exception {
    try (var ch = java.nio.channels.FileChannel.open(tiff, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE)) {
      for (long[] tile : TiffTiles.offsetsAndCounts(tiff)) {
        long index = tile[2];
        int across = 4; // 128 px in tiles of 32
        if (index % across >= 2) {
          ch.write(java.nio.ByteBuffer.wrap(new byte[(int) tile[1]]).put(0, (byte) 0xFF).put(1, (byte) 0xFF), tile[0]);
        }
      }
    }
  }
}

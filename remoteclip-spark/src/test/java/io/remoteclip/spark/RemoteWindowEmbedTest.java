package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.geo.Cogs;
import io.remoteclip.parquet.DuckDb;
import io.remoteclip.testing.FixtureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remoteclip-spark embed --window} over scenes that live behind HTTP: a GDAL-made COG served by a
 * loopback server that honours {@code Range} and logs every request. Over its {@code http://} URI the job gives
 * the rows it gives on the same file on disk (ids, windows, embeddings within 1e-6), and so over {@code s3://}
 * with the server as an S3-compatible endpoint; through {@code --stac} it
 * gives the rows {@code remoteclip embed --window --stac} writes, with the item's columns; with {@code --bbox} it
 * reads a small share of the file by ranges only; a 404, a 403, a body cut short and a refused connection are
 * rows of the errors table naming the URI, not a failed job.
 */
class RemoteWindowEmbedTest {
  private static final int SIZE = 1024;
  private static final int WINDOW = 256;
  private static final String ITEM = "S2A_32TPS_20240715";
  private static final String DATETIME = "2024-07-15T10:30:21Z";
  @TempDir static Path tmp;
  static SparkSession spark;
  static FixtureServer server;
  static Path cog;
  static long cogBytes;
  static Path items;

  @BeforeAll
  static void serveCog() throws Exception {
    Cogs.requireGdal();
    spark = SparkTests.session();
    cog = Cogs.cog(tmp.resolve("scene.tif"), SIZE);
    cogBytes = Files.size(cog);
    server = FixtureServer.start();
    byte[] bytes = Files.readAllBytes(cog);
    server.serve("/cogs/scene.tif", bytes);
    server.serve("/cogs/forbidden.tif", bytes, FixtureServer.Behaviour.FORBIDDEN);
    server.serve("/cogs/truncated.tif", bytes, FixtureServer.Behaviour.CUT_SHORT);
    // local mode: the tasks run in this JVM and read the setting; one retry keeps the failures quick
    System.setProperty("remoteclip.http.retries", "1");
    items = tmp.resolve("items.json");
    Files.writeString(items, itemCollection(item(ITEM, server.url("/cogs/scene.tif"))));
  }

  @AfterAll
  static void stopServer() {
    System.clearProperty("remoteclip.http.retries");
    if (server != null) {
      server.close();
    }
  }

  private static String item(String id, String href) {
    return "{\"type\":\"Feature\",\"stac_version\":\"1.0.0\",\"id\":\"" + id + "\",\"collection\":\"sentinel-2-test\","
        + "\"geometry\":null,\"properties\":{\"datetime\":\"" + DATETIME + "\"},\"links\":[],"
        + "\"assets\":{\"visual\":{\"href\":\"" + href + "\",\"type\":\"image/tiff; application=geotiff\"}}}";
  }

  private static String itemCollection(String... features) {
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  private static String spark(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("embed", "--model", "remoteclip-mini"));
    all.addAll(List.of(args));
    SparkMainTest.Result r = SparkMainTest.spark(all.toArray(String[]::new));
    assertEquals(0, r.code(), () -> String.join(" ", args) + ": " + r.err() + r.out() + errors(args));
    return r.out();
  }

  /** The errors table of the run of {@code args}, for failure messages. */
  private static String errors(String... args) {
    String out = args[List.of(args).indexOf("--out") + 1];
    try {
      return spark.read().parquet(out + ".errors").collectAsList().toString();
    } catch (RuntimeException e) {
      return "(no errors table)";
    }
  }

  /** The table's rows by window ({@code x=..,y=..,w=..,h=..}, the part of the path after {@code #}). */
  private static Map<String, Row> byWindow(String table) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : spark.read().parquet(table).collectAsList()) {
      String path = r.getAs(Tables.PATH);
      out.put(path.substring(path.indexOf('#') + 1), r);
    }
    return out;
  }

  private static void assertSameRows(Map<String, Row> expected, Map<String, Row> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (Map.Entry<String, Row> e : expected.entrySet()) {
      Row want = e.getValue();
      Row got = actual.get(e.getKey());
      assertEquals((String) want.getAs(Tables.ID), got.getAs(Tables.ID), "id (SHA-256 of the samples) of " + e.getKey());
      assertEquals(WindowEmbedTest.footprint(want), WindowEmbedTest.footprint(got), e.getKey());
      CliReference.assertClose(SparkArrays.floats(want, Tables.EMBEDDING), SparkArrays.floats(got, Tables.EMBEDDING),
          e.getKey(), 1e-6);
    }
  }

  @Test
  void httpSceneGivesTheRowsOfTheFileOnDisk() throws Exception {
    String local = tmp.resolve("local.parquet").toString();
    String http = tmp.resolve("http.parquet").toString();
    spark(cog.toString(), "--window", Integer.toString(WINDOW), "--out", local);
    int before = server.requests("/cogs/scene.tif").size();
    String out = spark(server.url("/cogs/scene.tif"), "--window", Integer.toString(WINDOW), "--out", http);
    assertTrue(out.contains("16 embedded"), out);

    Map<String, Row> disk = byWindow(local);
    Map<String, Row> remote = byWindow(http);
    assertEquals(16, disk.size());
    assertSameRows(disk, remote);
    for (Row r : remote.values()) {
      assertTrue(((String) r.getAs(Tables.PATH)).startsWith(server.url("/cogs/scene.tif#x=")), (String) r.getAs(Tables.PATH));
    }
    List<FixtureServer.Request> requests = server.requests("/cogs/scene.tif");
    for (FixtureServer.Request q : requests.subList(before, requests.size())) {
      assertTrue(q.range() != null, "every request asks for a byte range: " + q);
    }

    // the rerun names the scene in a --uris list: the same windows, so none is added
    Path list = Files.writeString(tmp.resolve("scenes.txt"), "# one COG\n" + server.url("/cogs/scene.tif") + "\n");
    String again = spark("--uris", list.toString(), "--window", Integer.toString(WINDOW), "--out", http);
    assertTrue(again.contains("0 embedded, 16 already in the table"), "incremental over HTTP too: " + again);
  }

  /**
   * {@code s3://bucket/key} through the same seam (SIS's S3 file system, the AWS SDK), against the loopback server
   * as an S3-compatible endpoint set the documented way, as {@code S3SceneTest} does for the CLI's reads.
   */
  @Test
  void s3SceneGivesTheRowsOfTheFileOnDisk() throws Exception {
    Map<String, String> aws = Map.of("aws.accessKeyId", "test", "aws.secretAccessKey", "test-secret", "aws.region",
        "us-east-1", "aws.endpointUrlS3", "http://127.0.0.1:" + server.port());
    server.serve("/scenes/tiles/scene.tif", Files.readAllBytes(cog));
    // the object's time comes from a bucket listing (SIS's S3 file system): S3's ListObjectsV2 answer for the key
    server.serve("/scenes", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>scenes</Name>"
        + "<Prefix>tiles/scene.tif</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
        + "<Contents><Key>tiles/scene.tif</Key><LastModified>2024-07-15T10:30:21.000Z</LastModified><ETag>\"0\"</ETag>"
        + "<Size>" + cogBytes + "</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    aws.forEach(System::setProperty);
    try {
      String box = Cogs.bbox(300, 300, 100, 100);
      String local = tmp.resolve("local-bbox.parquet").toString();
      String s3 = tmp.resolve("s3.parquet").toString();
      spark(cog.toString(), "--window", Integer.toString(WINDOW), "--bbox", box, "--out", local);
      String out = spark("s3://scenes/tiles/scene.tif", "--window", Integer.toString(WINDOW), "--bbox", box, "--out", s3);
      assertTrue(out.contains("1 embedded"), out);
      Map<String, Row> rows = byWindow(s3);
      assertSameRows(byWindow(local), rows);
      Row r = rows.values().iterator().next();
      assertEquals("s3://scenes/tiles/scene.tif#x=256,y=256,w=256,h=256", r.getAs(Tables.PATH));
      assertEquals(cogBytes, (long) r.getAs(Tables.LENGTH));
      assertEquals(Instant.parse("2024-07-15T10:30:21Z").toEpochMilli(), (long) r.getAs(Tables.MTIME_MS),
          "the object's time, from the listing");
      List<FixtureServer.Request> requests = server.requests("/scenes/tiles/scene.tif");
      assertTrue(!requests.isEmpty() && requests.stream().allMatch(q -> q.range() != null), "ranges only: " + requests);
    } finally {
      aws.keySet().forEach(System::clearProperty);
    }
  }

  @Test
  void bboxNeedsWindowsAndStacTakesNoPath() {
    for (String[] args : List.of(new String[] {cog.toString(), "--bbox", "10,45,11,46"},
        new String[] {server.url("/cogs/scene.tif"), "--bbox", "10,45,11,46"},
        new String[] {cog.toString(), "--stac", items.toString(), "--asset", "visual", "--window", "256"})) {
      List<String> all = new java.util.ArrayList<>(List.of("embed"));
      all.addAll(List.of(args));
      all.addAll(List.of("--out", tmp.resolve("never.parquet").toString()));
      SparkMainTest.Result r = SparkMainTest.spark(all.toArray(String[]::new));
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("remoteclip-spark:")).count(), r.err());
    }
    assertTrue(!Files.exists(tmp.resolve("never.parquet")));
  }

  @Test
  void stacItemsGiveTheCliRowsWithTheirItem() throws Exception {
    Path cli = tmp.resolve("cli.parquet");
    SparkMainTest.Result ref = SparkMainTest.cli("embed", "--model", "remoteclip-mini", "--stac", items.toString(),
        "--asset", "visual", "--window", Integer.toString(WINDOW), "--normalize", "--out", cli.toString());
    assertEquals(0, ref.code(), ref.err());
    String table = tmp.resolve("stac.parquet").toString();
    spark("--stac", items.toString(), "--asset", "visual", "--window", Integer.toString(WINDOW), "--out", table);

    Map<String, Row> rows = byWindow(table);
    assertEquals(16, rows.size());
    try (DuckDb db = new DuckDb()) {
      // the CLI's GeoParquet, read by an independent reader; pixel_bbox = [col_start, row_start, col_end, row_end]
      List<Map<String, Object>> cliRows = db.query("SELECT source, product_id, stac_collection, stac_asset, timestamp, "
          + "pixel_bbox, embedding FROM read_parquet(" + DuckDb.literal(cli) + ")");
      assertEquals(16, cliRows.size());
      for (Map<String, Object> c : cliRows) {
        int[] p = DuckDb.ints(c.get("pixel_bbox"));
        String key = "x=" + p[0] + ",y=" + p[1] + ",w=" + (p[2] - p[0]) + ",h=" + (p[3] - p[1]);
        Row r = rows.get(key);
        assertTrue(r != null, "no Spark row for the CLI's window " + key + " (have " + rows.keySet() + ")");
        assertEquals(c.get("source") + "#" + key, r.getAs(Tables.PATH));
        assertEquals(c.get("product_id"), r.getAs(Tables.PRODUCT_ID));
        assertEquals(c.get("stac_collection"), r.getAs(Tables.STAC_COLLECTION));
        assertEquals(c.get("stac_asset"), r.getAs(Tables.STAC_ASSET));
        assertEquals(DuckDb.instant(c.get("timestamp")), ((java.sql.Timestamp) r.getAs(Tables.TIMESTAMP)).toInstant());
        CliReference.assertClose(DuckDb.floats(c.get("embedding")), SparkArrays.floats(r, Tables.EMBEDDING), key, 1e-6);
      }
      // the Spark table's item columns, as DuckDB reads them (a real timestamp, not Spark's INT96)
      List<Map<String, Object>> sparkRows = db.query("SELECT DISTINCT product_id, stac_collection, stac_asset, timestamp "
          + "FROM read_parquet(" + DuckDb.literal(Path.of(table).resolve("*.parquet")) + ")");
      assertEquals(1, sparkRows.size(), sparkRows.toString());
      assertEquals(ITEM, sparkRows.get(0).get("product_id"));
      assertEquals("sentinel-2-test", sparkRows.get(0).get("stac_collection"));
      assertEquals("visual", sparkRows.get(0).get("stac_asset"));
      assertEquals(Instant.parse(DATETIME), DuckDb.instant(sparkRows.get(0).get("timestamp")));
    }
  }

  @Test
  void bboxReadsOnlyItsWindowsByRangesAndUnreadableScenesAreErrorRows() throws Exception {
    String missing = server.url("/cogs/missing.tif");
    String forbidden = server.url("/cogs/forbidden.tif");
    String truncated = server.url("/cogs/truncated.tif");
    String refused;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      refused = "http://127.0.0.1:" + closed.getLocalPort() + "/scene.tif";
    }
    String noVisual = item("S2A_32TPS_20240720", missing).replace("\"visual\":", "\"B04\":");
    // the ItemCollection itself over HTTP too (read on the driver)
    server.serve("/stac/items.json", itemCollection(item(ITEM, server.url("/cogs/scene.tif")),
        item("S2A_32TPS_20240716", missing), item("S2A_32TPS_20240717", forbidden),
        item("S2A_32TPS_20240718", truncated), item("S2A_32TPS_20240719", refused), noVisual)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String full = tmp.resolve("full.parquet").toString();
    spark(server.url("/cogs/scene.tif"), "--window", Integer.toString(WINDOW), "--out", full);

    String table = tmp.resolve("bbox.parquet").toString();
    int before = server.requests("/cogs/scene.tif").size();
    long sentBefore = server.bytesSent();
    // a box inside the window at (256, 256) only
    SparkMainTest.Result run = SparkMainTest.spark("embed", "--model", "remoteclip-mini", "--stac",
        server.url("/stac/items.json"), "--asset", "visual", "--skip-missing-asset", "--window", Integer.toString(WINDOW),
        "--bbox", Cogs.bbox(300, 300, 100, 100), "--out", table);
    long sent = server.bytesSent() - sentBefore;
    assertEquals(0, run.code(), run.err() + run.out() + errors("--out", table));
    assertTrue(run.out().contains("1 embedded") && run.out().contains("4 unreadable"), run.out());
    assertTrue(run.err().contains("item S2A_32TPS_20240720 has no asset \"visual\"") && run.err().contains("skipped"),
        "one warning for the item without the asset: " + run.err());

    Map<String, Row> rows = byWindow(table);
    assertEquals(List.of("x=256,y=256,w=256,h=256"), List.copyOf(rows.keySet()));
    Map<String, Row> all = byWindow(full);
    assertSameRows(Map.of("x=256,y=256,w=256,h=256", all.get("x=256,y=256,w=256,h=256")), rows);
    assertEquals(ITEM, rows.values().iterator().next().getAs(Tables.PRODUCT_ID));

    List<FixtureServer.Request> requests = server.requests("/cogs/scene.tif");
    for (FixtureServer.Request q : requests.subList(before, requests.size())) {
      assertTrue(q.range() != null, "every request asks for a byte range: " + q);
    }
    // what the server sent on all routes (the failing ones' few bytes included), against the one COG's size
    System.out.printf(java.util.Locale.ROOT, "--bbox, 1 of 16 windows: %d requests for the COG, %d bytes sent in all, "
        + "the COG has %d (%.1f %%)%n", requests.size() - before, sent, cogBytes, 100.0 * sent / cogBytes);
    assertTrue(sent < cogBytes * 0.3, "1 of 16 windows: the server sent " + sent + " bytes, the COG has " + cogBytes
        + " (" + (requests.size() - before) + " requests)");

    Map<String, String> errors = new TreeMap<>();
    for (Row e : spark.read().parquet(table + ".errors").collectAsList()) {
      errors.put(e.getAs(Tables.PATH), e.getAs(Tables.REASON));
    }
    assertEquals(new java.util.TreeSet<>(List.of(missing, forbidden, truncated, refused)), errors.keySet());
    for (Map.Entry<String, String> e : errors.entrySet()) {
      assertTrue(e.getValue().startsWith(e.getKey() + ": ") && !e.getValue().contains("\n"), "one line naming the URI: "
          + e.getValue());
    }
    assertTrue(errors.get(missing).contains("404"), errors.get(missing));
    assertTrue(errors.get(forbidden).contains("403"), errors.get(forbidden));
    System.out.println("errors table: " + errors.values());
  }
}

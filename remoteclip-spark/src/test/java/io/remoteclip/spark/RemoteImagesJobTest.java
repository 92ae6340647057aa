package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.FixtureServer;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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
 * The whole-image jobs ({@code remoteclip-spark embed} without {@code --window}, {@code classify}) over images
 * behind HTTP: UCM-like JPEGs and a PNG served by a loopback server, named by a URI list ({@code --uris}), one URI,
 * or a STAC ItemCollection ({@code --stac --asset}). Each gives the rows the same job gives on the files on disk
 * (ids, sizes, embeddings within 1e-6; classify's labels and probabilities), a 404 is a row of the errors table
 * naming its URI, and a rerun adds nothing.
 */
class RemoteImagesJobTest {
  private static final String DATETIME = "2024-07-15T10:30:21Z";
  private static final String LABELS = String.join(",", SampleImages.UCM_CLASSES.subList(0, 8));
  @TempDir static Path tmp;
  static SparkSession spark;
  static FixtureServer server;
  static Path images;
  static List<String> uris = new ArrayList<>();
  static String missing;
  static Path uriList;
  static Path items;

  @BeforeAll
  static void serveImages() throws Exception {
    spark = SparkTests.session();
    images = tmp.resolve("images");
    List<Path> files = new ArrayList<>(SampleImages.ucmLike(images, 1, 101, 301));
    files.add(SampleImages.write(images.resolve("501.png"), 501));
    server = FixtureServer.start();
    for (Path f : files) {
      String route = "/img/" + f.getFileName();
      server.serve(route, Files.readAllBytes(f));
      uris.add(server.url(route));
    }
    missing = server.url("/img/missing.jpg");
    // local mode: the tasks run in this JVM and read the setting; one retry keeps the failures quick
    System.setProperty("remoteclip.http.retries", "1");
    List<String> lines = new ArrayList<>(List.of("# UCM-like images on a loopback server", ""));
    lines.addAll(uris);
    lines.add("  " + missing + "  ");
    uriList = Files.write(tmp.resolve("uris.txt"), lines);
    List<String> features = new ArrayList<>();
    for (String u : uris) {
      features.add(item(itemId(u), u));
    }
    features.add(item("missing", missing));
    items = tmp.resolve("items.json");
    Files.writeString(items, "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}");
  }

  @AfterAll
  static void stopServer() {
    System.clearProperty("remoteclip.http.retries");
    if (server != null) {
      server.close();
    }
  }

  private static String itemId(String uri) {
    String name = name(uri);
    return "UCM_" + name.substring(0, name.indexOf('.'));
  }

  private static String item(String id, String href) {
    return "{\"type\":\"Feature\",\"stac_version\":\"1.0.0\",\"id\":\"" + id + "\",\"collection\":\"ucm-test\","
        + "\"geometry\":null,\"properties\":{\"datetime\":\"" + DATETIME + "\"},\"links\":[],"
        + "\"assets\":{\"visual\":{\"href\":\"" + href + "\",\"type\":\"image/jpeg\"}}}";
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String run(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--model", "remoteclip-mini"));
    all.addAll(List.of(args));
    SparkMainTest.Result r = SparkMainTest.spark(all.toArray(String[]::new));
    assertEquals(0, r.code(), () -> String.join(" ", args) + ": " + r.err() + r.out());
    return r.out();
  }

  /** A table's rows by file name. */
  private static Map<String, Row> byName(String table) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : spark.read().parquet(table).collectAsList()) {
      out.put(name(r.getAs(Tables.PATH)), r);
    }
    return out;
  }

  /** The errors table of {@code table}'s run: reason by path. */
  private static Map<String, String> errors(String table) {
    Map<String, String> out = new TreeMap<>();
    for (Row e : spark.read().parquet(table + ".errors").collectAsList()) {
      out.put(e.getAs(Tables.PATH), e.getAs(Tables.REASON));
    }
    return out;
  }

  private static void assertOnly404(String table) {
    Map<String, String> errors = errors(table);
    assertEquals(List.of(missing), List.copyOf(errors.keySet()));
    String reason = errors.get(missing);
    assertTrue(reason.startsWith(missing + ": ") && reason.contains("404") && !reason.contains("\n"), reason);
  }

  private static void assertSameEmbeddings(Map<String, Row> local, Map<String, Row> remote) {
    assertEquals(local.keySet(), remote.keySet());
    for (Map.Entry<String, Row> e : local.entrySet()) {
      Row want = e.getValue();
      Row got = remote.get(e.getKey());
      assertEquals((String) want.getAs(Tables.ID), got.getAs(Tables.ID), "SHA-256 of the bytes of " + e.getKey());
      assertEquals((Object) want.getAs(Tables.LENGTH), got.getAs(Tables.LENGTH), e.getKey());
      assertEquals((Object) want.getAs(Tables.WIDTH), got.getAs(Tables.WIDTH), e.getKey());
      assertEquals((Object) want.getAs(Tables.HEIGHT), got.getAs(Tables.HEIGHT), e.getKey());
      CliReference.assertClose(SparkArrays.floats(want, Tables.EMBEDDING), SparkArrays.floats(got, Tables.EMBEDDING),
          e.getKey(), 1e-6);
    }
  }

  @Test
  void uriListEmbedsAsTheFilesOnDiskAndRerunsAddNothing() {
    String local = tmp.resolve("local.parquet").toString();
    String remote = tmp.resolve("remote.parquet").toString();
    run("embed", images.toString(), "--out", local);
    int before = server.requests().size();
    String out = run("embed", "--uris", uriList.toString(), "--out", remote);
    assertTrue(out.contains("4 embedded") && out.contains("1 unreadable"), out);
    assertTrue(server.requests().size() > before, "the tasks fetched the images over HTTP");

    Map<String, Row> rows = byName(remote);
    assertSameEmbeddings(byName(local), rows);
    for (Row r : rows.values()) {
      assertTrue(uris.contains((String) r.getAs(Tables.PATH)), "a remote row's path is its URI: " + r.getAs(Tables.PATH));
    }
    assertOnly404(remote);

    String again = run("embed", "--uris", uriList.toString(), "--out", remote);
    assertTrue(again.contains("0 embedded, 4 already in the table, 1 unreadable"), again);
    assertEquals(4, spark.read().parquet(remote).count(), "a rerun adds no row");

    // a CSV of URIs (--from-table) into the same table: nothing new
    Path csv = tmp.resolve("uris.csv");
    List<String> rowsCsv = new ArrayList<>(List.of("href,split"));
    uris.forEach(u -> rowsCsv.add(u + ",test"));
    String fromTable = run("embed", "--from-table", write(csv, rowsCsv), "--path-column", "href", "--out", remote);
    assertTrue(fromTable.contains("0 embedded, 4 already in the table, 0 unreadable"), fromTable);

    // one URI as the argument: the same row
    String one = tmp.resolve("one.parquet").toString();
    assertTrue(run("embed", uris.get(3), "--out", one).contains("1 embedded"));
    assertSameEmbeddings(Map.of("501.png", byName(local).get("501.png")), byName(one));
  }

  private static String write(Path file, List<String> lines) {
    try {
      return Files.write(file, lines).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void stacItemsEmbedWithTheirItemColumns() {
    String local = tmp.resolve("local-stac.parquet").toString();
    String table = tmp.resolve("stac.parquet").toString();
    run("embed", images.toString(), "--out", local);
    String out = run("embed", "--stac", items.toString(), "--asset", "visual", "--out", table);
    assertTrue(out.contains("4 embedded") && out.contains("1 unreadable"), out);
    Map<String, Row> rows = byName(table);
    assertSameEmbeddings(byName(local), rows);
    for (Row r : rows.values()) {
      String uri = r.getAs(Tables.PATH);
      assertEquals(itemId(uri), r.getAs(Tables.PRODUCT_ID), uri);
      assertEquals("ucm-test", r.getAs(Tables.STAC_COLLECTION), uri);
      assertEquals("visual", r.getAs(Tables.STAC_ASSET), uri);
      assertEquals(Instant.parse(DATETIME), ((Timestamp) r.getAs(Tables.TIMESTAMP)).toInstant(), uri);
    }
    assertOnly404(table);
    String again = run("embed", "--stac", items.toString(), "--asset", "visual", "--out", table);
    assertTrue(again.contains("0 embedded, 4 already in the table"), again);
  }

  @Test
  void classifyGivesTheLabelsOfTheFilesOnDisk() {
    String local = tmp.resolve("labels-local.parquet").toString();
    run("classify", images.toString(), "--labels", LABELS, "--top-k", "3", "--out", local);
    Map<String, Row> want = byName(local);
    assertEquals(4, want.size());
    for (String[] source : List.of(new String[] {"--uris", uriList.toString()},
        new String[] {"--stac", items.toString(), "--asset", "visual"})) {
      String table = tmp.resolve("labels-" + source[0].substring(2) + ".parquet").toString();
      List<String> args = new ArrayList<>(List.of(source));
      args.addAll(List.of("--labels", LABELS, "--top-k", "3", "--out", table));
      String out = run("classify", args.toArray(String[]::new));
      assertTrue(out.contains("4 images classified, 1 unreadable"), out);
      Map<String, Row> got = byName(table);
      assertEquals(want.keySet(), got.keySet(), source[0]);
      for (Map.Entry<String, Row> e : want.entrySet()) {
        Row w = e.getValue();
        Row g = got.get(e.getKey());
        assertEquals((String) w.getAs(Tables.ID), g.getAs(Tables.ID), e.getKey());
        assertEquals(w.getList(w.fieldIndex(Tables.LABELS)), g.getList(g.fieldIndex(Tables.LABELS)), e.getKey());
        assertArrayEquals(SparkArrays.floats(w, Tables.SCORES), SparkArrays.floats(g, Tables.SCORES), 1e-6f, e.getKey());
      }
      assertOnly404(table);
    }
  }

  @Test
  void aMalformedUriIsAUsageError() {
    SparkMainTest.Result r = SparkMainTest.spark("embed", "http:///no-host.jpg", "--out",
        tmp.resolve("never.parquet").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("remoteclip-spark:")).count(), r.err());
    assertTrue(!Files.exists(tmp.resolve("never.parquet")));
  }
}

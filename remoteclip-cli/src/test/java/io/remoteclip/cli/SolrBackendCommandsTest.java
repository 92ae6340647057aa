package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.search.IndexedModel;
import io.remoteclip.search.SearchService;
import io.remoteclip.server.SearchServer;
import io.remoteclip.server.ServerLimits;
import io.remoteclip.solr.DevCluster;
import io.remoteclip.solr.SolrSearchBackend;
import io.remoteclip.solr.SolrTarget;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * index / search / serve against a real two-node SolrCloud give what they give on the embedded index: same
 * hits, same scores, same JSON; re-indexing adds nothing; another encoder is refused.
 */
class SolrBackendCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static DevCluster cluster;
  private static Path images;
  private static Path labels;
  private static String[] solr;


  @BeforeAll
  static void setUp() throws Exception {
    cluster = DevCluster.start(tmp.resolve("cluster"), 2, 0);
    images = tmp.resolve("images");
    SampleImages.ucmLike(images, 101, 102, 103, 104, 105, 106, 701, 702, 703, 704, 705, 706, 1001, 1002, 1003, 1004);
    labels = SampleImages.labelsCsv(tmp.resolve("labels.csv"));
    solr = new String[] {"--solr", cluster.url(), "--collection", "tiles"};
    CliRun created = run(with("solr", "create-collection", "--shards", "2", "--replicas", "2", "--model",
        BundledModel.dir().toString()));
    assertEquals(0, created.code(), created.err());
    CliRun local = run("index", images.toString(), "--index", tmp.resolve("local").toString(), "--labels", labels.toString(),
        "--model", BundledModel.dir().toString());
    assertEquals(0, local.code(), local.err());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String[] with(String... args) {
    List<String> l = new ArrayList<>(List.of(args));
    l.addAll(List.of(solr));
    return l.toArray(String[]::new);
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void indexTwiceThenSearchLikeTheEmbeddedIndexAndRefuseAnotherEncoder() throws Exception {
    // The collection's own model is used: no --model.
    CliRun first = run(with("index", images.toString(), "--labels", labels.toString(), "--solr-batch", "5"));
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("16 inputs: 16 added, 0 already present, 0 unreadable"), first.out());
    CliRun again = run(with("index", images.toString()));
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("16 inputs: 0 added, 16 already present") && again.out().contains("; 16 documents"), again.out());

    for (String mode : List.of("--ef", "--exact")) {
      for (String q : List.of("an airport", "a dense forest", "a harbor with boats")) {
        List<String> extra = mode.equals("--exact") ? List.of("--exact") : List.of("--ef", "100");
        List<String> args = new ArrayList<>(List.of("search", q, "-k", "6", "--json"));
        args.addAll(extra);
        CliRun local = run(concatAll(args, List.of("--index", tmp.resolve("local").toString())));
        CliRun remote = run(concatAll(args, List.of(solr)));
        assertEquals(0, local.code(), local.err());
        assertEquals(0, remote.code(), remote.err());
        assertSameHits(JSON.readTree(local.out()).get("results"), JSON.readTree(remote.out()).get("results"), q);
      }
    }
    CliRun filtered = run(with("search", "an airport", "-k", "20", "--filter", "label=forest", "--json"));
    assertEquals(0, filtered.code(), filtered.err());
    JsonNode hits = JSON.readTree(filtered.out()).get("results");
    assertEquals(6, hits.size(), "every forest image and nothing else");
    hits.forEach(h -> assertEquals("forest", h.get("labels").get(0).asText()));

    CliRun other = run(with("index", images.toString(), "--bands", "2,1,0:0:255"));
    assertEquals(65, other.code(), other.err());
    assertTrue(other.err().strip().lines().count() == 1 && other.err().contains("bands"), other.err());
  }

  @Test
  void theHttpApiServesTheCollection() throws Exception {
    run(with("index", images.toString(), "--labels", labels.toString()));
    SearchBackend backend = SolrSearchBackend.open(SolrTarget.of(cluster.url(), "tiles"));
    try (SearchService service = new SearchService(backend,
        IndexedModel.open(backend.metadata(), "tiles", ModelResolver.fromEnvironment(), io.remoteclip.encode.ClipEncoder.Options.defaults(), io.remoteclip.ProgressListener.NONE))) {
      SearchServer server = SearchServer.start(service, ServerLimits.defaults(), "127.0.0.1", 0);
      try {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.url() + "api/search?q=an%20airport&k=3")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode results = JSON.readTree(r.body()).get("results");
        assertEquals(3, results.size());
        assertTrue(results.get(0).get("path").asText().matches("\\d+\\.jpg"), "relative key, no server path: " + r.body());
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.url() + "api/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(16, JSON.readTree(health.body()).get("documents").asInt(), health.body());
        // Thumbnails come from the folder this machine indexed.
        String id = results.get(0).get("id").asText();
        HttpResponse<byte[]> thumb = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.url() + "api/thumb/" + id)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, thumb.statusCode());
        assertTrue(thumb.headers().firstValue("content-type").orElse("").startsWith("image/"), thumb.headers().toString());
      } finally {
        server.stop(1);
      }
    }
  }

  @Test
  void geographicFiltersAgreeOnBothBackends() throws Exception {
    // Three UTM zone 32N tiles (EPSG:32632) 2 km apart near 9°E 47°N, and two images with no footprint.
    Path geo = java.nio.file.Files.createDirectories(tmp.resolve("geo"));
    for (int i = 0; i < 3; i++) {
      io.remoteclip.index.GeoTiffs.write(geo.resolve("utm" + i + ".tif"), java.nio.ByteOrder.LITTLE_ENDIAN, 64, 64, i,
          500_000 + i * 2_000, 5_206_000, 10, 32632, false);
    }
    SampleImages.ucmLike(geo, 1001, 1002);
    String[] geoSolr = {"--solr", cluster.url(), "--collection", "geo"};
    assertEquals(0, run(concatAll(List.of("solr", "create-collection", "--shards", "1", "--replicas", "2", "--model",
        BundledModel.dir().toString()), List.of(geoSolr))).code());
    assertEquals(0, run(concatAll(List.of("index", geo.toString()), List.of(geoSolr))).code());
    CliRun local = run("index", geo.toString(), "--index", tmp.resolve("geo-local").toString(), "--model",
        BundledModel.dir().toString());
    assertEquals(0, local.code(), local.err());
    // 500 km east of the central meridian 9°E: x = 500,000 .. 506,640 m is 9.000°..9.087°E at 47.0°N.
    for (String[] filter : List.of(new String[] {"--bbox", "9.0,46.9,9.03,47.1"},
        new String[] {"--intersects", "POLYGON((9.05 46.9, 9.2 46.9, 9.2 47.1, 9.05 47.1, 9.05 46.9))"})) {
      List<String> args = List.of("search", "a river", "-k", "10", "--json", filter[0], filter[1]);
      CliRun l = run(concatAll(args, List.of("--index", tmp.resolve("geo-local").toString())));
      CliRun rr = run(concatAll(args, List.of(geoSolr)));
      assertEquals(0, l.code(), l.err());
      assertEquals(0, rr.code(), rr.err());
      JsonNode lj = JSON.readTree(l.out());
      JsonNode rj = JSON.readTree(rr.out());
      assertEquals(2, lj.get("without_footprint").asInt(), l.out());
      assertEquals(2, rj.get("without_footprint").asInt(), rr.out());
      assertSameHits(lj.get("results"), rj.get("results"), filter[1]);
      List<String> names = new ArrayList<>();
      lj.get("results").forEach(h -> names.add(Path.of(h.get("path").asText()).getFileName().toString()));
      assertEquals(filter[0].equals("--bbox") ? List.of("utm0.tif", "utm1.tif") : List.of("utm2.tif"),
          names.stream().sorted().toList(), filter[1]);
      JsonNode lonlat = lj.get("results").get(0).get("lonlat_bounds");
      assertTrue(lonlat != null && Math.abs(lonlat.get(1).asDouble() - 47.0) < 0.05, l.out());
    }
    CliRun bad = run(concatAll(List.of("search", "x", "--bbox", "9,47,8"), List.of(geoSolr)));
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--bbox") && bad.err().contains("minLon,minLat,maxLon,maxLat"), bad.err());
  }

  @Test
  void unreachableClusterAndMissingCollectionAreOneLineErrors() throws Exception {
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    CliRun down = run("search", "a harbor", "--solr", "http://127.0.0.1:" + freePort + "/solr", "--collection", "tiles",
        "--solr-connect-timeout", "2", "--solr-timeout", "5");
    assertEquals(74, down.code(), down.err());
    assertEquals(1, down.err().strip().lines().count(), down.err());
    assertTrue(down.err().contains("127.0.0.1:" + freePort), down.err());
    CliRun missing = run("search", "a harbor", "--solr", cluster.url(), "--collection", "nope");
    assertEquals(65, missing.code(), missing.err());
    assertEquals("remoteclip: collection nope does not exist", missing.err().strip());
    CliRun both = run("search", "a harbor", "--solr", cluster.url(), "--collection", "tiles", "--index", tmp.toString());
    assertEquals(2, both.code(), both.err());
  }

  @Test
  void aThirdPartyTableFillsItsOwnCollectionAndIsSearchedByExample() throws Exception {
    Path table = tmp.resolve("majortom.parquet");
    try (io.remoteclip.parquet.DuckDb db = new io.remoteclip.parquet.DuckDb()) {
      StringBuilder rows = new StringBuilder();
      float[][] e = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 1, 0}, {0, 0, 1}};
      for (int i = 0; i < e.length; i++) {
        double lon = 10 + i;
        double[][] ring = {{lon, 45}, {lon + 0.1, 45}, {lon + 0.1, 45.1}, {lon, 45.1}, {lon, 45}};
        rows.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "('u%d', [%s, %s, %s]::FLOAT[], from_hex('%s'))",
            i, e[i][0], e[i][1], e[i][2], java.util.HexFormat.of().formatHex(io.remoteclip.parquet.Wkb.polygon(ring))));
      }
      db.execute("COPY (SELECT * FROM (VALUES " + rows + ") t(unique_id, embedding, geometry)) TO "
          + io.remoteclip.parquet.DuckDb.literal(table) + " (FORMAT PARQUET, KV_METADATA {geo: '{\"version\":\"1.1.0\","
          + "\"primary_column\":\"geometry\",\"columns\":{\"geometry\":{\"encoding\":\"WKB\",\"geometry_types\":[\"Polygon\"]}}}'})");
    }
    String[] mt = {"--solr", cluster.url(), "--collection", "majortom"};
    CliRun created = run(concatAll(List.of("solr", "create-collection", "--shards", "1", "--replicas", "1", "--from-parquet",
        table.toString()), List.of(mt)));
    assertEquals(0, created.code(), created.err());
    CliRun indexed = run(concatAll(List.of("index", "--from-parquet", table.toString()), List.of(mt)));
    assertEquals(0, indexed.code(), indexed.err());
    CliRun local = run("index", "--from-parquet", table.toString(), "--index", tmp.resolve("mt-local").toString());
    assertEquals(0, local.code(), local.err());
    for (String[] where : List.of(mt, new String[] {"--index", tmp.resolve("mt-local").toString()})) {
      CliRun like = run(concatAll(List.of("search", "--like", "u0", "-k", "2", "--json", "--bbox", "9,44,12,46"), List.of(where)));
      assertEquals(0, like.code(), like.err());
      JsonNode hits = JSON.readTree(like.out()).get("results");
      assertEquals(List.of("u0", "u1"), List.of(hits.get(0).get("path").asText(), hits.get(1).get("path").asText()),
          String.join(" ", where));
    }
  }

  @Test
  void benchSearchMeasuresATwoShardCollectionAsTheEmbeddedIndex() throws Exception {
    Path b = tmp.resolve("bench/base.npy");
    Path q = tmp.resolve("bench/queries.npy");
    Path table = tmp.resolve("bench/base.parquet");
    CliRun gen = run("bench", "search", "--generate", "2000,32", "--query-count", "50", "--base", b.toString(), "--queries",
        q.toString(), "--table", table.toString());
    assertEquals(0, gen.code(), gen.err());
    String[] bench = {"--solr", cluster.url(), "--collection", "bench"};
    CliRun created = run(concatAll(List.of("solr", "create-collection", "--shards", "2", "--replicas", "1", "--from-parquet",
        table.toString()), List.of(bench)));
    assertEquals(0, created.code(), created.err());
    List<String> common = List.of("bench", "search", "--base", b.toString(), "--queries", q.toString(), "--ef", "10,100",
        "--threads", "2", "--json");
    CliRun first = run(concatAll(common, List.of(bench)));
    assertEquals(0, first.code(), first.err());
    JsonNode solrRun = JSON.readTree(first.out());
    assertEquals("remoteclip-solr", solrRun.get("engine").asText());
    assertEquals(2000, solrRun.get("added").asInt());
    JsonNode local = JSON.readTree(run(common.toArray(String[]::new)).out());
    // topK = ef candidates per shard: with 100 of 1,000 per shard the search is near exact, as the embedded index is
    double solrRecall = solrRun.get("results").get(1).get("recall").asDouble();
    assertTrue(solrRecall >= 0.95, first.out());
    assertEquals(local.get("results").get(1).get("recall").asDouble(), solrRecall, 0.05, local + "\n" + solrRun);
    CliRun again = run(concatAll(common, List.of("--force-merge", "--solr", cluster.url(), "--collection", "bench")));
    assertEquals(0, again.code(), again.err());
    JsonNode merged = JSON.readTree(again.out());
    assertEquals(2000, merged.get("already_present").asInt(), "a rerun measures search only");
    assertTrue(merged.get("force_merged").asBoolean());
    assertEquals(List.of(1, 1), segmentCounts("bench"), "one segment per replica after --force-merge");
    assertTrue(merged.get("results").get(1).get("recall").asDouble() >= 0.95, again.out());
    CliRun graphOption = run(concatAll(List.of("bench", "search", "--base", b.toString(), "--queries", q.toString(), "--m",
        "16"), List.of(bench)));
    assertEquals(2, graphOption.code(), graphOption.err());
    assertTrue(graphOption.err().contains("apply to the embedded index, not to --solr"), graphOption.err());
  }

  private static void assertSameHits(JsonNode local, JsonNode remote, String q) {
    assertEquals(local.size(), remote.size(), q);
    for (int i = 0; i < local.size(); i++) {
      // Both print the local file (the folder this machine indexed + key).
      assertEquals(local.get(i).get("path").asText(), remote.get(i).get("path").asText(), q + " rank " + i);
      assertEquals(local.get(i).get("score").asDouble(), remote.get(i).get("score").asDouble(), 1e-4, q);
      assertEquals(local.get(i).get("labels"), remote.get(i).get("labels"), q);
    }
  }

  /** segmentCount of every core of the collection, over all nodes (CoreAdmin STATUS). */
  private static List<Integer> segmentCounts(String collection) throws Exception {
    List<Integer> counts = new ArrayList<>();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String node : cluster.urls()) {
      String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              node + "/admin/cores?action=STATUS&wt=json")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      JSON.readTree(body).get("status").fields().forEachRemaining(core -> {
        if (core.getKey().startsWith(collection + "_")) {
          counts.add(core.getValue().get("index").get("segmentCount").asInt());
        }
      });
    }
    return counts;
  }

  private static String[] concatAll(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l.toArray(String[]::new);
  }
}

package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.Json;
import io.remoteclip.testing.RecordedStacApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code stac search} end to end: a recorded STAC API on the loopback interface, and a static catalog on disk. */
class StacCommandsTest {
  private static final String[] SEARCH = {"--collection", "sentinel-2-l2a", "--bbox", "11,46,11.2,46.2",
      "--datetime", "2024-06-01/2024-06-30", "--limit", "2"};

  @TempDir Path dir;
  private RecordedStacApi api;
  private String out;
  private String err;

  @BeforeEach
  void setUp() throws Exception {
    api = RecordedStacApi.start();
    System.setProperty("remoteclip.downloadAttempts", "1");
  }

  @AfterEach
  void tearDown() {
    api.close();
    System.clearProperty("remoteclip.downloadAttempts");
  }

  private int run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(o));
    cmd.setErr(new PrintWriter(e));
    int code = cmd.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  private int search(String... extra) {
    List<String> args = new ArrayList<>(List.of("stac", "search", "--api", api.url("/")));
    args.addAll(List.of(SEARCH));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static List<String> ids(Path items) throws Exception {
    List<String> ids = new ArrayList<>();
    Json.mapper().readTree(items.toFile()).get("features").forEach(f -> ids.add(f.get("id").asText()));
    return ids;
  }

  @Test
  void searchWritesEveryPageAsOneItemCollection() throws Exception {
    Path items = dir.resolve("items.json");
    assertEquals(0, search("--method", "get", "--out", items.toString()), err);
    assertEquals("wrote " + items + ": 5 items in 3 pages (GET " + api.url("/search") + ")" + System.lineSeparator(), out);
    List<String> recorded = api.recordedItems().stream().map(i -> i.get("id").asText()).toList();
    assertEquals(recorded, ids(items));
    JsonNode doc = Json.mapper().readTree(items.toFile());
    assertEquals("FeatureCollection", doc.get("type").asText());
    assertEquals(12.5, doc.at("/features/0/properties/eo:cloud_cover").asDouble()); // extensions kept
    assertEquals(api.url("/data/" + recorded.get(2) + "/TCI.tif"), doc.at("/features/2/assets/visual/href").asText());

    assertEquals(0, search("--max-items", "3", "-v", "--out", items.toString()), err);
    assertTrue(out.endsWith("3 items in 2 pages (POST " + api.url("/search")
        + "); stopped at --max-items, the API has more" + System.lineSeparator()), out);
    assertEquals(3, ids(items).size());
    assertTrue(err.contains("POST " + api.url("/search") + ": HTTP 200, "), err); // -v: one line per request
  }

  @Test
  void apiFailuresAreOneLineAndWriteNothing() throws Exception {
    Path items = dir.resolve("items.json");
    String[] args = {"stac", "search", "--api", api.url("/v1"), "--out", items.toString()};
    assertEquals(74, run(args));
    assertEquals("remoteclip: " + api.url("/v1") + ": HTTP 404 Not Found: no recorded answer for GET /v1", err.strip());
    assertFalse(Files.exists(items));

    try (RecordedStacApi plain = RecordedStacApi.start(body -> {
      if (body.has("conformsTo")) {
        ((ObjectNode) body).remove("conformsTo");
      }
      return body;
    })) {
      assertEquals(65, run("stac", "search", "--api", plain.url("/"), "--out", items.toString()));
      assertEquals("remoteclip: " + plain.url("/") + ": not a STAC API with item search (its landing page's "
          + "conformsTo is missing) (a static catalog is walked with --catalog)", err.strip());
    }
    assertFalse(Files.exists(items));
  }

  @Test
  void catalogWalksAStaticCatalogWithTheSameFilters() throws Exception {
    Files.writeString(dir.resolve("catalog.json"), """
        {"type": "Catalog", "stac_version": "1.0.0", "id": "c", "description": "d",
         "links": [{"rel": "child", "href": "sub/catalog.json"}, {"rel": "item", "href": "./north.json"}]}
        """);
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/catalog.json"), """
        {"type": "Catalog", "stac_version": "1.0.0", "id": "s", "description": "d",
         "links": [{"rel": "item", "href": "south.json"}, {"rel": "parent", "href": "../catalog.json"}]}
        """);
    Files.writeString(dir.resolve("north.json"), item("north", 60));
    Files.writeString(dir.resolve("sub/south.json"), item("south", -30));
    Path items = dir.resolve("out/items.json");
    assertEquals(0, run("stac", "search", "--catalog", dir.resolve("catalog.json").toString(), "--out",
        items.toString()), err);
    assertEquals(List.of("south", "north"), ids(items));
    JsonNode doc = Json.mapper().readTree(items.toFile());
    assertEquals(dir.resolve("sub/south.tif").toUri().toString(), doc.at("/features/0/assets/visual/href").asText());
    assertEquals(0, run("stac", "search", "--catalog", dir.resolve("catalog.json").toString(), "--bbox",
        "0,50,20,70", "--datetime", "2024-01-01/..", "--out", items.toString()), err);
    assertEquals(List.of("north"), ids(items));
    assertEquals("wrote " + items + ": 1 items from 4 documents of " + dir.resolve("catalog.json")
        + System.lineSeparator(), out);
  }

  @Test
  void commandLineMistakesAreUsageErrors() throws Exception {
    String o = dir.resolve("x.json").toString();
    String[][] cases = {
        {"stac", "search", "--out", o},
        {"stac", "search", "--api", api.url("/"), "--catalog", "c.json", "--out", o},
        {"stac", "search", "--catalog", "c.json", "--filter", "{\"op\": \"=\"}", "--out", o},
        {"stac", "search", "--api", api.url("/"), "--bbox", "11,46,11.2", "--out", o},
        {"stac", "search", "--api", api.url("/"), "--datetime", "June", "--out", o},
        {"stac", "search", "--api", api.url("/"), "--intersects", "{\"type\": \"Circle\"}", "--out", o},
        {"stac", "search", "--api", api.url("/"), "--limit", "0", "--out", o},
        {"stac", "search", "--api", api.url("/"), "--header", "no colon", "--out", o},
    };
    for (String[] c : cases) {
      assertEquals(2, run(c), String.join(" ", c) + ": " + err);
      assertEquals(1, err.lines().count(), err);
    }
    assertTrue(api.requests().isEmpty(), "no request before the command line is right");
    Path bad = dir.resolve("area.geojson");
    Files.writeString(bad, "{\"type\": \"Polygon\", ");
    assertEquals(65, run("stac", "search", "--api", api.url("/"), "--intersects", bad.toString(), "--out", o));
    assertTrue(err.startsWith("remoteclip: " + bad + ": not JSON ("), err);
  }

  private static String item(String id, double lat) {
    return """
        {"type": "Feature", "stac_version": "1.0.0", "id": "%s", "bbox": [10, %s, 11, %s],
         "geometry": {"type": "Point", "coordinates": [10.5, %s]}, "properties": {"datetime": "2024-03-01T00:00:00Z"},
         "links": [], "assets": {"visual": {"href": "%s.tif"}}}
        """.formatted(id, lat, lat + 1, lat + 0.5, id);
  }
}

package io.remoteclip.stac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.Json;
import io.remoteclip.ProgressListener;
import io.remoteclip.testing.FixtureServer;
import io.remoteclip.testing.StacItemSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Walking a static catalog written by the test: nested catalogs, relative hrefs, on disk and over HTTP. */
class StaticCatalogTest {
  @TempDir Path dir;

  private final StaticCatalog walker = new StaticCatalog(new StacDocuments(StacClientSettings.defaults(), l -> {}));

  /**
   * catalog.json → europe/catalog.json → europe/s2/collection.json (items alps-1, alps-2 in folders of their own,
   * assets beside them and one level up) and → ../landsat/collection.json (item, with a link back to the root).
   */
  static Path writeCatalog(Path dir) throws Exception {
    write(dir, "catalog.json", catalog("Catalog", "root", "./europe/catalog.json"));
    write(dir, "europe/catalog.json", catalog("Catalog", "europe", "s2/collection.json", "../landsat/collection.json"));
    write(dir, "europe/s2/collection.json", collection("s2", "items/alps-1/alps-1.json", "./items/alps-2/alps-2.json"));
    write(dir, "europe/s2/items/alps-1/alps-1.json", item("alps-1", "s2", "2024-06-03T10:00:00Z", 10, 46, "./alps-1.tif", "../../collection.json"));
    write(dir, "europe/s2/items/alps-2/alps-2.json", item("alps-2", null, "2024-07-09T10:00:00Z", 12, 47, "../shared.tif", "../../collection.json"));
    write(dir, "landsat/collection.json", collection("landsat", "./lc-1.json", "../catalog.json"));
    write(dir, "landsat/lc-1.json", item("lc-1", "landsat", "2023-02-01T09:30:00Z", -5, 40, "lc-1.tif", "collection.json"));
    return dir.resolve("catalog.json");
  }

  @Test
  void findsEveryItemWithHrefsResolvedAgainstItsOwnDocument() throws Exception {
    Path root = writeCatalog(dir);
    StaticCatalog.Walk walk = walker.walk(root.toUri(), ItemFilter.ALL, Long.MAX_VALUE, ProgressListener.NONE);
    assertEquals(List.of("alps-1", "alps-2", "lc-1"), walk.items().stream().map(StacItem::id).toList());
    assertEquals(7, walk.documents()); // the link back to the root is not followed twice
    assertFalse(walk.more());
    assertEquals(List.of(dir.resolve("europe/s2/items/alps-1/alps-1.tif"), dir.resolve("europe/s2/items/shared.tif"),
            dir.resolve("landsat/lc-1.tif")),
        walk.items().stream().map(i -> Path.of(URI.create(i.assets().get("visual").href()))).toList());
    StacItem alps2 = walk.items().get(1);
    assertEquals(dir.resolve("europe/s2/items/alps-2/alps-2.json").toUri().toString(),
        alps2.link("self").orElseThrow().href());
    assertEquals(dir.resolve("europe/s2/collection.json").toUri().toString(),
        alps2.link("parent").orElseThrow().href());
  }

  @Test
  void filtersByCollectionBoxAndTimeAsAnApiWould() throws Exception {
    URI root = writeCatalog(dir).toUri();
    // alps-2 names no collection: it belongs to the s2 Collection it was found under.
    assertEquals(List.of("alps-1", "alps-2"), ids(root, new ItemFilter(Set.of("s2"), null, null)));
    assertEquals(List.of("alps-2"), ids(root, new ItemFilter(Set.of(), BoundingBox.parse("11.9,46.9,13,48"), null)));
    assertEquals(List.of("lc-1"), ids(root, new ItemFilter(Set.of(), BoundingBox.parse("-10,35,0,45"), null)));
    assertEquals(List.of("alps-1", "alps-2"), ids(root, new ItemFilter(Set.of(), null, TimeInterval.parse("2024-01-01/.."))));
    assertEquals(List.of("alps-2"), ids(root, new ItemFilter(Set.of(), null, TimeInterval.parse("2024-07-09"))));
    assertEquals(List.of(), ids(root, new ItemFilter(Set.of("s2"), BoundingBox.parse("-10,35,0,45"), null)));
    // A box across the antimeridian reaches neither.
    assertEquals(List.of(), ids(root, new ItemFilter(Set.of(), BoundingBox.parse("170,30,-170,60"), null)));
  }

  @Test
  void maxItemsStopsTheWalk() throws Exception {
    StaticCatalog.Walk walk = walker.walk(writeCatalog(dir).toUri(), ItemFilter.ALL, 1, ProgressListener.NONE);
    assertEquals(List.of("alps-1"), walk.items().stream().map(StacItem::id).toList());
    assertTrue(walk.more());
    assertEquals(4, walk.documents());
  }

  @Test
  void walksTheSameCatalogOverHttp() throws Exception {
    writeCatalog(dir);
    try (FixtureServer server = FixtureServer.start(); Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        server.serve("/stac/" + dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
      StaticCatalog.Walk walk = walker.walk(URI.create(server.url("/stac/catalog.json")), ItemFilter.ALL,
          Long.MAX_VALUE, ProgressListener.NONE);
      assertEquals(List.of(server.url("/stac/europe/s2/items/alps-1/alps-1.tif"),
              server.url("/stac/europe/s2/items/shared.tif"), server.url("/stac/landsat/lc-1.tif")),
          walk.items().stream().map(i -> i.assets().get("visual").href()).toList());
      assertEquals(7, server.requests().size());
    }
  }

  @Test
  void walkedItemsValidateAgainstTheStacItemSchema() throws Exception {
    StacItemSchema schema = StacItemSchema.require();
    for (StacItem item : walker.walk(writeCatalog(dir).toUri(), ItemFilter.ALL, 10, ProgressListener.NONE).items()) {
      assertEquals(List.of(), schema.errors(Json.mapper().valueToTree(item)), item.id());
    }
  }

  @Test
  void aBrokenLinkNamesTheDocument() throws Exception {
    write(dir, "catalog.json", catalog("Catalog", "root", "missing/catalog.json"));
    assertThrows(java.nio.file.NoSuchFileException.class,
        () -> walker.walk(dir.resolve("catalog.json").toUri(), ItemFilter.ALL, 10, ProgressListener.NONE));
    write(dir, "catalog.json", catalog("Catalog", "root", "odd.json"));
    write(dir, "odd.json", "{\"type\": \"Something\"}");
    StacFormatException e = assertThrows(StacFormatException.class,
        () -> walker.walk(dir.resolve("catalog.json").toUri(), ItemFilter.ALL, 10, ProgressListener.NONE));
    assertEquals(dir.resolve("odd.json") + ": not a STAC Catalog, Collection or Item (reached by a \"child\" link) "
        + "(\"type\" is \"Something\")", e.getMessage());
  }

  private List<String> ids(URI root, ItemFilter filter) throws Exception {
    return walker.walk(root, filter, Long.MAX_VALUE, ProgressListener.NONE).items().stream().map(StacItem::id).toList();
  }

  private static void write(Path dir, String rel, String text) throws Exception {
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private static String catalog(String type, String id, String... children) {
    StringBuilder links = new StringBuilder("{\"rel\": \"root\", \"href\": \"./catalog.json\"}");
    for (String c : children) {
      links.append(", {\"rel\": \"child\", \"href\": \"").append(c).append("\", \"type\": \"application/json\"}");
    }
    return """
        {"type": "%s", "stac_version": "1.0.0", "id": "%s", "description": "test catalog %s", "links": [%s]}
        """.formatted(type, id, id, links);
  }

  private static String collection(String id, String... items) {
    StringBuilder links = new StringBuilder("{\"rel\": \"parent\", \"href\": \"../catalog.json\"}");
    for (String i : items) {
      links.append(", {\"rel\": \"").append(i.endsWith("catalog.json") ? "child" : "item").append("\", \"href\": \"")
          .append(i).append("\"}");
    }
    return """
        {"type": "Collection", "stac_version": "1.0.0", "id": "%s", "description": "collection %s",
         "license": "CC-BY-4.0", "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]},
         "temporal": {"interval": [["2020-01-01T00:00:00Z", null]]}}, "links": [%s]}
        """.formatted(id, id, links);
  }

  private static String item(String id, String collection, String datetime, double lon, double lat, String asset,
      String parent) {
    // STAC 1.0.0: a "collection" member goes with a "collection" link, and no link without the member.
    String links = "{\"rel\": \"parent\", \"href\": \"" + parent + "\"}"
        + (collection == null ? "" : ", {\"rel\": \"collection\", \"href\": \"" + parent + "\"}");
    return """
        {"type": "Feature", "stac_version": "1.0.0", "id": "%s", %s
         "bbox": [%s, %s, %s, %s],
         "geometry": {"type": "Polygon", "coordinates": [[[%s, %s], [%s, %s], [%s, %s], [%s, %s], [%s, %s]]]},
         "properties": {"datetime": "%s", "eo:cloud_cover": 5},
         "links": [%s],
         "assets": {"visual": {"href": "%s", "type": "image/tiff; application=geotiff; profile=cloud-optimized",
                               "roles": ["visual"]}}}
        """.formatted(id, collection == null ? "" : "\"collection\": \"" + collection + "\",", lon, lat, lon + 1,
        lat + 1, lon, lat, lon + 1, lat, lon + 1, lat + 1, lon, lat + 1, lon, lat, datetime, links, asset);
  }
}

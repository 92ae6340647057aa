package io.remoteclip.stac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.testing.FixtureServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ItemCollection and an asset key become the scenes to read, with the item metadata rows carry. */
class StacScenesTest {
  @TempDir Path dir;

  private final StacDocuments documents = new StacDocuments(StacClientSettings.defaults(), l -> {});

  private static final String ITEMS = """
      {"type": "FeatureCollection", "features": [
        {"type": "Feature", "stac_version": "1.0.0", "id": "a", "collection": "s2",
         "bbox": [10, 46, 10.5, 46.5], "geometry": {"type": "Point", "coordinates": [10.25, 46.25]},
         "properties": {"datetime": "2024-06-03T10:16:10.024Z"}, "links": [],
         "assets": {"visual": {"href": "scenes/a.tif", "type": "image/tiff; application=geotiff; profile=cloud-optimized"},
                    "B04": {"href": "s3://bucket/a/B04.tif"}}},
        {"type": "Feature", "stac_version": "1.0.0", "id": "b", "geometry": null,
         "properties": {"datetime": null, "start_datetime": "2024-01-01T00:00:00Z", "end_datetime": "2024-01-31T00:00:00Z"},
         "links": [{"rel": "self", "href": "https://data.example.test/items/b.json"}],
         "assets": {"visual": {"href": "../cogs/b.tif"}}},
        {"type": "Feature", "stac_version": "1.0.0", "id": "c", "geometry": null, "properties": {"datetime": "2024-02-02T00:00:00Z"},
         "links": [], "assets": {"visual": {"href": "https://cdn.example.test/c.tif"}, "thumbnail": {"href": "c.png"}}}]}
      """;

  @Test
  void everyItemGivesItsAssetResolvedAndItsMetadata() throws Exception {
    Path file = dir.resolve("items.json");
    Files.writeString(file, ITEMS);
    List<StacScene> scenes = StacScenes.read(file.toString(), "visual", StacScenes.MissingAsset.FAIL, w -> {},
        documents);
    assertEquals(3, scenes.size());
    StacScene a = scenes.get(0);
    assertEquals(dir.resolve("scenes/a.tif").toUri(), a.href()); // relative to the ItemCollection's file
    assertEquals("image/tiff; application=geotiff; profile=cloud-optimized", a.mediaType());
    assertEquals("a", a.itemId());
    assertEquals("s2", a.collection());
    assertEquals("s2/a", a.name());
    assertEquals("2024-06-03T10:16:10.024Z", a.datetime());
    assertArrayEquals(new double[] {10, 46, 10.5, 46.5}, a.bbox());
    assertEquals("Point", a.geometry().get("type").asText());
    StacScene b = scenes.get(1);
    assertEquals(URI.create("https://data.example.test/cogs/b.tif"), b.href()); // relative to the item's self link
    assertEquals(null, b.datetime());
    assertTrue(b.geometry().isNull());
    assertEquals(URI.create("https://cdn.example.test/c.tif"), scenes.get(2).href());
    assertEquals(URI.create("s3://bucket/a/B04.tif"),
        StacScenes.read(file.toString(), "B04", StacScenes.MissingAsset.SKIP, w -> {}, documents).get(0).href());
  }

  @Test
  void anItemWithoutTheAssetFailsOrIsSkippedWithAWarning() throws Exception {
    Path file = dir.resolve("items.json");
    Files.writeString(file, ITEMS);
    StacFormatException e = assertThrows(StacFormatException.class,
        () -> StacScenes.read(file.toString(), "thumbnail", StacScenes.MissingAsset.FAIL, w -> {}, documents));
    assertEquals(file.toAbsolutePath() + ": item a has no asset \"thumbnail\" (it has visual, B04)", e.getMessage());
    List<String> warnings = new ArrayList<>();
    List<StacScene> scenes = StacScenes.read(file.toString(), "thumbnail", StacScenes.MissingAsset.SKIP,
        warnings::add, documents);
    assertEquals(List.of("c"), scenes.stream().map(StacScene::itemId).toList());
    assertEquals(List.of(file.toAbsolutePath() + ": item a has no asset \"thumbnail\" (it has visual, B04); skipped",
        file.toAbsolutePath() + ": item b has no asset \"thumbnail\" (it has visual); skipped"), warnings);
  }

  @Test
  void malformedItemCollectionsAreOneLineNamingTheFile() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\",");
    StacFormatException e = assertThrows(StacFormatException.class,
        () -> StacScenes.read(file.toString(), "visual", StacScenes.MissingAsset.FAIL, w -> {}, documents));
    assertTrue(e.getMessage().startsWith(file.toAbsolutePath() + ": not JSON (line 1, column "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    Files.writeString(file, ITEMS.replace("\"id\": \"c\"", "\"id\": \"a\", \"collection\": \"s2\""));
    e = assertThrows(StacFormatException.class,
        () -> StacScenes.read(file.toString(), "visual", StacScenes.MissingAsset.FAIL, w -> {}, documents));
    assertEquals(file.toAbsolutePath() + ": item s2/a appears twice", e.getMessage());
    Files.writeString(file, ITEMS.replace("\"href\": \"../cogs/b.tif\"", "\"href\": \"a b|c.tif\""));
    e = assertThrows(StacFormatException.class,
        () -> StacScenes.read(file.toString(), "visual", StacScenes.MissingAsset.FAIL, w -> {}, documents));
    assertTrue(e.getMessage().startsWith(file.toAbsolutePath() + ": item b: asset \"visual\" \"a b|c.tif\" is not a URI"),
        e.getMessage());
    assertThrows(java.nio.file.NoSuchFileException.class, () -> StacScenes.read(dir.resolve("none.json").toString(),
        "visual", StacScenes.MissingAsset.FAIL, w -> {}, documents));
  }

  @Test
  void readsAnItemCollectionByUrl() throws Exception {
    try (FixtureServer server = FixtureServer.start()) {
      server.serve("/out/items.json", ITEMS.getBytes(StandardCharsets.UTF_8));
      List<StacScene> scenes = StacScenes.read(server.url("/out/items.json"), "visual", StacScenes.MissingAsset.FAIL,
          w -> {}, documents);
      assertEquals(URI.create(server.url("/out/scenes/a.tif")), scenes.get(0).href());
      StacHttpException e = assertThrows(StacHttpException.class, () -> StacScenes.read(server.url("/out/none.json"),
          "visual", StacScenes.MissingAsset.FAIL, w -> {}, documents));
      assertEquals(server.url("/out/none.json") + ": HTTP 404 Not Found", e.getMessage());
    }
  }

  @Test
  void aWrittenSearchResultReadsBackAsScenes() throws Exception {
    Path catalog = StaticCatalogTest.writeCatalog(dir.resolve("catalog"));
    StaticCatalog.Walk walk = new StaticCatalog(documents).walk(catalog.toUri(), ItemFilter.ALL, 10,
        ProgressListener.NONE);
    Path out = dir.resolve("elsewhere/items.json");
    StacJson.write(out, new ItemCollection(walk.items()));
    List<StacScene> scenes = StacScenes.read(out.toString(), "visual", StacScenes.MissingAsset.FAIL, w -> {},
        documents);
    assertEquals(List.of(catalog.resolveSibling("europe/s2/items/alps-1/alps-1.tif").toUri(),
        catalog.resolveSibling("europe/s2/items/shared.tif").toUri(), catalog.resolveSibling("landsat/lc-1.tif").toUri()),
        scenes.stream().map(StacScene::href).toList());
    assertEquals(List.of("s2", "landsat"), scenes.stream().map(StacScene::collection).filter(c -> c != null).toList());
  }
}

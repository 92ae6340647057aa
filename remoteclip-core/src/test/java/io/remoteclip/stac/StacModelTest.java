package io.remoteclip.stac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The models read what STAC writes and write back every member, named or not (extensions included). */
class StacModelTest {
  private static final URI HERE = URI.create("file:///data/stac/items.json");

  private static final String ITEM = """
      {"type": "Feature", "stac_version": "1.0.0",
       "stac_extensions": ["https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
       "id": "scene-1", "collection": "s2",
       "bbox": [10, 45.5, 0, 10.25, 45.75, 300],
       "geometry": {"type": "Polygon", "coordinates": [[[10, 45.5], [10.25, 45.5], [10.25, 45.75], [10, 45.5]]]},
       "properties": {"datetime": "2024-06-03T10:16:10Z", "eo:cloud_cover": 12.50, "view:sun_elevation": 61},
       "links": [{"rel": "self", "href": "https://example.test/items/scene-1", "type": "application/geo+json",
                  "x-custom": {"a": [1, 2]}},
                 {"rel": "next", "href": "https://example.test/search", "method": "POST",
                  "body": {"token": "t2"}, "merge": true, "headers": {"Authorization": ["Bearer x"]}}],
       "assets": {"visual": {"href": "./scene-1/TCI.tif", "type": "image/tiff; application=geotiff",
                             "roles": ["visual"], "eo:bands": [{"name": "red"}], "proj:shape": [10980, 10980]}},
       "top-level-extension": {"nested": true}}
      """;

  @Test
  void itemRoundTripsEveryMember() throws Exception {
    JsonNode in = Json.mapper().readTree(ITEM);
    StacItem item = Json.mapper().treeToValue(in, StacItem.class);
    assertEquals(in, Json.mapper().valueToTree(item));
    assertEquals("scene-1", item.id());
    assertEquals("s2", item.collection());
    assertEquals("2024-06-03T10:16:10Z", item.datetime());
    assertArrayEquals(new double[] {10, 45.5, 10.25, 45.75}, item.bbox()); // the 2D part of a 3D bbox
    assertEquals(in.get("top-level-extension"), item.other().get("top-level-extension"));
    StacAsset visual = item.assets().get("visual");
    assertEquals(in.at("/assets/visual/eo:bands"), visual.other().get("eo:bands"));
    assertEquals(URI.create("file:///data/stac/scene-1/TCI.tif"), visual.resolve(HERE));
    StacLink next = item.link("next").orElseThrow();
    assertEquals("POST", next.method());
    assertTrue(next.merge());
    assertEquals("t2", next.body().get("token").asText());
    assertEquals("GET", item.link("self").orElseThrow().method());
  }

  @Test
  void nullGeometryStaysAMember() throws Exception {
    JsonNode in = Json.mapper().readTree("""
        {"type": "Feature", "stac_version": "1.0.0", "id": "nowhere", "geometry": null,
         "properties": {"datetime": null, "start_datetime": "2020-01-01T00:00:00Z", "end_datetime": "2020-12-31T23:59:59Z"},
         "links": [], "assets": {}}
        """);
    StacItem item = Json.mapper().treeToValue(in, StacItem.class);
    assertEquals(in, Json.mapper().valueToTree(item));
    assertTrue(item.geometry().isNull());
    assertNull(item.bbox());
    assertNull(item.datetime());
  }

  @Test
  void catalogsCollectionsAndLandingPagesReadByType() throws Exception {
    JsonNode collection = Json.mapper().readTree("""
        {"type": "Collection", "stac_version": "1.0.0", "id": "s2", "description": "d", "license": "proprietary",
         "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [["2015-06-27T10:25:31Z", null]]}},
         "summaries": {"platform": ["sentinel-2a"]}, "links": [{"rel": "root", "href": "../catalog.json"}],
         "assets": {"thumbnail": {"href": "thumb.png"}}}
        """);
    StacCatalog c = Json.mapper().treeToValue(collection, StacCatalog.class);
    StacCollection s2 = assertInstanceOf(StacCollection.class, c);
    assertEquals("proprietary", s2.license());
    assertEquals(collection.get("summaries"), s2.other().get("summaries"));
    assertEquals(collection, Json.mapper().valueToTree(c));
    JsonNode landing = Json.mapper().readTree("""
        {"type": "Catalog", "id": "api", "stac_version": "1.0.0", "description": "x",
         "conformsTo": ["https://api.stacspec.org/v1.0.0/core"], "links": []}
        """);
    StacCatalog l = Json.mapper().treeToValue(landing, StacCatalog.class);
    assertEquals(StacCatalog.class, l.getClass());
    assertEquals(java.util.List.of("https://api.stacspec.org/v1.0.0/core"), l.conformsTo());
    assertEquals(landing, Json.mapper().valueToTree(l));
  }

  @Test
  void itemCollectionsKeepTheirExtraMembers() throws Exception {
    JsonNode in = Json.mapper().readTree("{\"type\": \"FeatureCollection\", \"features\": [" + ITEM + "],"
        + " \"numberMatched\": 10, \"context\": {\"limit\": 1}, \"links\": [{\"rel\": \"next\", \"href\": \"?page=2\"}]}");
    ItemCollection ic = StacJson.itemCollection(in, HERE);
    assertEquals(in, Json.mapper().valueToTree(ic));
    assertEquals(URI.create("file:///data/stac/items.json?page=2"), ic.link("next").orElseThrow().resolve(HERE));
  }

  @Test
  void malformedDocumentsAreOneLineNamingTheFile() throws Exception {
    String[][] cases = {
        {"[1, 2]", "not a STAC ItemCollection (expected a JSON object, found array)"},
        {"{\"type\": \"Catalog\"}", "not a STAC ItemCollection (\"type\" is \"Catalog\", expected \"FeatureCollection\")"},
        {"{\"type\": \"FeatureCollection\"}", "not a STAC ItemCollection (no \"features\" array)"},
        {"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"id\": \"\"}]}",
            "features[0]: STAC Item without an \"id\""},
        {"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"id\": \"a\", \"assets\": []}]}",
            "features[0] (item a): \"assets\" is not an object"},
        {"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"id\": \"a\", \"links\": 3}]}",
            "not a STAC ItemCollection (features[0].links: "},
    };
    for (String[] c : cases) {
      StacFormatException e = assertThrows(StacFormatException.class,
          () -> StacJson.itemCollection(Json.mapper().readTree(c[0]), HERE), c[0]);
      assertTrue(e.getMessage().startsWith("/data/stac/items.json: " + c[1]), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }
}

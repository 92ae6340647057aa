package io.remoteclip.stac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.Json;
import io.remoteclip.ProgressListener;
import io.remoteclip.testing.RecordedStacApi;
import io.remoteclip.testing.StacItemSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Item search against a recorded STAC API conversation served on the loopback interface. */
class StacApiClientTest {
  private static final ItemSearch QUERY = new ItemSearch(List.of("sentinel-2-l2a"),
      BoundingBox.parse("11,46,11.2,46.2"), null, TimeInterval.parse("2024-06-01/2024-06-30"), null, 2);

  private static StacDocuments documents(List<String> log) {
    return new StacDocuments(StacClientSettings.defaults().withAttempts(3, Duration.ofMillis(10)), log::add);
  }

  private static List<String> ids(List<StacItem> items) {
    return items.stream().map(StacItem::id).toList();
  }

  @Test
  void getFollowsNextLinksThroughEveryPage() throws Exception {
    try (RecordedStacApi api = RecordedStacApi.start()) {
      List<String> log = new ArrayList<>();
      SearchResult r = new StacApiClient(URI.create(api.url("/")), documents(log))
          .search(QUERY, "GET", Long.MAX_VALUE, ProgressListener.NONE);
      List<JsonNode> recorded = api.recordedItems();
      assertEquals(recorded.stream().map(i -> i.get("id").asText()).toList(), ids(r.items()));
      assertEquals(3, r.pages());
      assertFalse(r.more());
      assertEquals(URI.create(api.url("/search")), r.endpoint());
      // The landing page, then the three recorded pages, nothing else: paging went by the next links alone.
      assertEquals(List.of("GET /", "GET /search", "GET /search", "GET /search"),
          api.requests().stream().map(q -> q.method() + " " + q.path()).toList());
      assertEquals("next:4", api.requests().get(3).query().get("token"));
      assertEquals(4, log.size());
      assertTrue(log.get(1).startsWith("GET " + api.url("/search?") + "collections=sentinel-2-l2a"), log.get(1));
      // Everything the API said about an item is kept, extensions included; hrefs are absolute.
      for (int i = 0; i < recorded.size(); i++) {
        JsonNode written = Json.mapper().valueToTree(r.items().get(i));
        JsonNode expected = recorded.get(i).deepCopy();
        ((ObjectNode) expected.at("/assets/visual")).put("href",
            api.url("/data/" + expected.get("id").asText() + "/TCI.tif"));
        assertEquals(expected, written);
      }
    }
  }

  @Test
  void postSendsTheNextLinksBodyMergedOrInPlaceOfTheLastOne() throws Exception {
    try (RecordedStacApi api = RecordedStacApi.start()) {
      StacApiClient client = new StacApiClient(URI.create(api.url("/")), documents(new ArrayList<>()));
      assertEquals("POST", client.preferredMethod()); // the landing page's search links offer POST
      SearchResult r = client.search(QUERY, null, Long.MAX_VALUE, ProgressListener.NONE);
      assertEquals("POST", r.method());
      assertEquals(5, r.items().size());
      List<RecordedStacApi.Request> posts = api.requests().stream().filter(q -> q.method().equals("POST")).toList();
      assertEquals(3, posts.size());
      assertEquals(QUERY.body(), posts.get(0).body());
      ObjectNode merged = QUERY.body().deepCopy().put("token", "next:2"); // "merge": true added the token
      assertEquals(merged, posts.get(1).body());
      assertEquals("next:4", posts.get(2).body().get("token").asText()); // "merge": false: the link's body as is
    }
  }

  @Test
  void maxItemsStopsBeforeThePagesItDoesNotNeed() throws Exception {
    try (RecordedStacApi api = RecordedStacApi.start()) {
      SearchResult r = new StacApiClient(URI.create(api.url("/")), documents(new ArrayList<>()))
          .search(QUERY, "GET", 3, ProgressListener.NONE);
      assertEquals(3, r.items().size());
      assertEquals(2, r.pages());
      assertTrue(r.more());
      r = new StacApiClient(URI.create(api.url("/")), documents(new ArrayList<>()))
          .search(QUERY, "POST", 2, ProgressListener.NONE);
      assertEquals(List.of(2, 1), List.of(r.items().size(), r.pages()));
      assertTrue(r.more());
    }
  }

  @Test
  void searchedItemsValidateAgainstTheStacItemSchema() throws Exception {
    StacItemSchema schema = StacItemSchema.require();
    try (RecordedStacApi api = RecordedStacApi.start()) {
      SearchResult r = new StacApiClient(URI.create(api.url("/")), documents(new ArrayList<>()))
          .search(QUERY, "POST", Long.MAX_VALUE, ProgressListener.NONE);
      for (StacItem item : r.items()) {
        assertEquals(List.of(), schema.errors(Json.mapper().valueToTree(item)), item.id());
      }
      // The validator does catch broken items, through item.json and through the GeoJSON schemas it refers to.
      ObjectNode broken = Json.mapper().valueToTree(r.items().get(0));
      ((ObjectNode) broken.get("properties")).remove("datetime");
      assertFalse(schema.errors(broken).isEmpty());
      broken = Json.mapper().valueToTree(r.items().get(0));
      ((ObjectNode) broken.get("geometry")).put("coordinates", "11,46");
      assertFalse(schema.errors(broken).isEmpty());
    }
  }

  @Test
  void serverErrorsAreRetriedThenAnswered() throws Exception {
    try (RecordedStacApi api = RecordedStacApi.start()) {
      api.failFirst("/search", 2);
      List<String> log = new ArrayList<>();
      SearchResult r = new StacApiClient(URI.create(api.url("/")), documents(log))
          .search(QUERY, "GET", Long.MAX_VALUE, ProgressListener.NONE);
      assertEquals(5, r.items().size());
      assertTrue(log.get(1).contains("HTTP 503"), log.toString());
      assertTrue(log.get(2).contains("HTTP 503"), log.toString());
    }
  }

  @Test
  void aMissingApiIsOneLineWithTheUrlAndTheStatus() throws Exception {
    try (RecordedStacApi api = RecordedStacApi.start()) {
      StacHttpException e = assertThrows(StacHttpException.class,
          () -> new StacApiClient(URI.create(api.url("/v1")), documents(new ArrayList<>()))
              .search(QUERY, null, 10, ProgressListener.NONE));
      assertEquals(404, e.status());
      assertEquals(api.url("/v1") + ": HTTP 404 Not Found: no recorded answer for GET /v1", e.getMessage());
      assertEquals(1, api.requests().size()); // a 404 is not retried
    }
  }

  @Test
  void anApiWithoutItemSearchIsRefusedBeforeSearching() throws Exception {
    try (RecordedStacApi api = RecordedStacApi.start(body -> {
      if (body.has("conformsTo")) {
        ((ObjectNode) body).putArray("conformsTo").add("https://api.stacspec.org/v1.0.0/core")
            .add("https://api.stacspec.org/v1.0.0/collections");
      }
      return body;
    })) {
      StacConformanceException e = assertThrows(StacConformanceException.class,
          () -> new StacApiClient(URI.create(api.url("/")), documents(new ArrayList<>()))
              .search(QUERY, null, 10, ProgressListener.NONE));
      assertEquals(api.url("/") + ": not a STAC API with item search (its landing page's conformsTo lists 2 classes "
          + "but not https://api.stacspec.org/v1.0.0/item-search)", e.getMessage());
      assertEquals(1, api.requests().size());
    }
  }

  @Test
  void queriesAreWrittenAsTheItemSearchSpecSays() throws Exception {
    JsonNode point = Json.mapper().readTree("{\"type\": \"Point\", \"coordinates\": [11.1, 46.1]}");
    JsonNode cql = Json.mapper().readTree("{\"op\": \"<\", \"args\": [{\"property\": \"eo:cloud_cover\"}, 10]}");
    ItemSearch q = new ItemSearch(List.of("a", "b"), null, point, TimeInterval.parse("2024-06-01T00:00:00+02:00/.."),
        cql, 50);
    assertEquals(Json.mapper().readTree("""
        {"collections": ["a", "b"], "intersects": {"type": "Point", "coordinates": [11.1, 46.1]},
         "datetime": "2024-05-31T22:00:00Z/..", "filter": {"op": "<", "args": [{"property": "eo:cloud_cover"}, 10]},
         "filter-lang": "cql2-json", "limit": 50}
        """), q.body());
    Map<String, String> expected = Map.of("collections", "a,b", "intersects", point.toString(),
        "datetime", "2024-05-31T22:00:00Z/..", "filter", cql.toString(), "filter-lang", "cql2-json", "limit", "50");
    Map<String, String> actual = new java.util.TreeMap<>();
    for (String pair : q.query().split("&")) {
      String[] kv = pair.split("=", 2);
      actual.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(new java.util.TreeMap<>(expected), actual);
    assertThrows(IllegalArgumentException.class,
        () -> new ItemSearch(List.of(), BoundingBox.parse("0,0,1,1"), point, null, null, null));
    assertThrows(IllegalArgumentException.class,
        () -> new ItemSearch(List.of(), null, Json.mapper().readTree("{\"type\": \"Circle\"}"), null, null, null));
  }
}

package io.remoteclip.stac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parameters of a STAC API item search, written as a GET query or a POST body (STAC API - Item Search,
 * with the Filter extension's CQL2-JSON {@code filter}).
 *
 * @param collections collection ids (empty: all)
 * @param bbox WGS84 box, or {@code null}
 * @param intersects a GeoJSON geometry, or {@code null}; not with {@code bbox}
 * @param datetime instant or interval, or {@code null}
 * @param filter a CQL2-JSON expression, or {@code null}
 * @param limit items per page the server is asked for, or {@code null} for its default
 */
public record ItemSearch(List<String> collections, BoundingBox bbox, JsonNode intersects, TimeInterval datetime,
    JsonNode filter, Integer limit) {
  private static final Set<String> GEOMETRY_TYPES = Set.of("Point", "MultiPoint", "LineString", "MultiLineString",
      "Polygon", "MultiPolygon", "GeometryCollection");

  public ItemSearch {
    collections = List.copyOf(collections);
    if (bbox != null && intersects != null) {
      throw new IllegalArgumentException("bbox and intersects are exclusive: a search takes one of them");
    }
    if (intersects != null && !(intersects.isObject() && intersects.path("type").isTextual()
        && GEOMETRY_TYPES.contains(intersects.path("type").asText()))) {
      throw new IllegalArgumentException("intersects: expected a GeoJSON geometry object (\"type\": one of "
          + String.join(", ", new java.util.TreeSet<>(GEOMETRY_TYPES)) + ")");
    }
    if (filter != null && !filter.isObject()) {
      throw new IllegalArgumentException("filter: expected a CQL2-JSON object such as {\"op\": \"<\", \"args\": […]}");
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }

  /** The POST body. */
  public ObjectNode body() {
    ObjectNode b = Json.mapper().createObjectNode();
    if (!collections.isEmpty()) {
      ArrayNode c = b.putArray("collections");
      collections.forEach(c::add);
    }
    if (bbox != null) {
      ArrayNode a = b.putArray("bbox");
      for (double v : bbox.toArray()) {
        a.add(v);
      }
    }
    if (intersects != null) {
      b.set("intersects", intersects);
    }
    if (datetime != null) {
      b.put("datetime", datetime.toParameter());
    }
    if (filter != null) {
      b.set("filter", filter);
      b.put("filter-lang", "cql2-json");
    }
    if (limit != null) {
      b.put("limit", limit);
    }
    return b;
  }

  /** The GET query string (without {@code ?}). */
  public String query() {
    List<String> q = new ArrayList<>();
    if (!collections.isEmpty()) {
      q.add(param("collections", String.join(",", collections)));
    }
    if (bbox != null) {
      q.add(param("bbox", bbox.toString()));
    }
    if (intersects != null) {
      q.add(param("intersects", compact(intersects)));
    }
    if (datetime != null) {
      q.add(param("datetime", datetime.toParameter()));
    }
    if (filter != null) {
      q.add(param("filter", compact(filter)));
      q.add(param("filter-lang", "cql2-json"));
    }
    if (limit != null) {
      q.add(param("limit", limit.toString()));
    }
    return String.join("&", q);
  }

  private static String param(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String compact(JsonNode n) {
    try {
      return Json.mapper().writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

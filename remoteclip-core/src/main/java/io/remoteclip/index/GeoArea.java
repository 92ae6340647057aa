package io.remoteclip.index;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.geo.LatLonGeometry;
import org.apache.lucene.geo.Point;
import org.apache.lucene.geo.Polygon;
import org.apache.lucene.geo.Rectangle;
import org.apache.lucene.geo.SimpleWKTShapeParser;

/**
 * A WGS84 area that geographic search filters test footprints against (intersection): a longitude/latitude
 * box or a WKT geometry (POLYGON, MULTIPOLYGON, POINT, LINESTRING, ENVELOPE; longitude first, as RFC 7946 and
 * WKT order them). Every backend translates {@link #wkt()}; the embedded index parses it with Lucene's WKT
 * reader, SolrCloud with JTS.
 */
public record GeoArea(String wkt) {
  public GeoArea {
    if (wkt == null || wkt.isBlank()) {
      throw new IllegalArgumentException("empty geometry");
    }
    wkt = wkt.strip();
    parse(wkt); // refuse what no backend could read, with the reason
  }

  /** The box {@code minLon,minLat,maxLon,maxLat} (degrees). */
  public static GeoArea box(double minLon, double minLat, double maxLon, double maxLat) {
    return of(new io.remoteclip.geo.LonLatBox(minLon, minLat, maxLon, maxLat));
  }

  /** The area of a checked box (one crossing the antimeridian is refused: the backends take minLon <= maxLon). */
  public static GeoArea of(io.remoteclip.geo.LonLatBox b) {
    if (b.crossesAntimeridian()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "bounding box %s,%s,%s,%s: need -180 <= minLon <= maxLon <= 180 and -90 <= minLat <= maxLat <= 90",
          b.west(), b.south(), b.east(), b.north()));
    }
    return new GeoArea(String.format(Locale.ROOT, "ENVELOPE(%s, %s, %s, %s)", b.west(), b.east(), b.north(), b.south()));
  }

  /** {@code "minLon,minLat,maxLon,maxLat"} as the command line and the HTTP API write it. */
  public static GeoArea parseBox(String text) {
    return of(io.remoteclip.geo.LonLatBox.parse(text));
  }

  /**
   * A GeoJSON geometry (RFC 7946, longitude first: Point, MultiPoint, LineString, MultiLineString, Polygon,
   * MultiPolygon, GeometryCollection) or a Feature's geometry.
   */
  public static GeoArea fromGeoJson(String json) {
    com.fasterxml.jackson.databind.JsonNode g;
    try {
      g = io.remoteclip.Json.mapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not GeoJSON: " + e.getOriginalMessage());
    }
    if ("Feature".equals(g.path("type").asText())) {
      g = g.path("geometry");
    }
    return new GeoArea(wkt(g));
  }

  /** A GeoJSON object (it starts with '{') or WKT. */
  public static GeoArea of(String geoJsonOrWkt) {
    return geoJsonOrWkt.strip().startsWith("{") ? fromGeoJson(geoJsonOrWkt) : new GeoArea(geoJsonOrWkt);
  }

  private static String wkt(com.fasterxml.jackson.databind.JsonNode g) {
    String type = g.path("type").asText("");
    com.fasterxml.jackson.databind.JsonNode c = g.path("coordinates");
    return switch (type) {
      case "Point" -> "POINT (" + position(c) + ")";
      case "MultiPoint" -> "MULTIPOINT (" + positions(c) + ")";
      case "LineString" -> "LINESTRING (" + positions(c) + ")";
      case "MultiLineString", "Polygon" -> type.toUpperCase(Locale.ROOT) + " (" + rings(c) + ")";
      case "MultiPolygon" -> {
        List<String> parts = new ArrayList<>();
        c.forEach(p -> parts.add("(" + rings(p) + ")"));
        yield "MULTIPOLYGON (" + String.join(", ", parts) + ")";
      }
      case "GeometryCollection" -> {
        List<String> parts = new ArrayList<>();
        g.path("geometries").forEach(p -> parts.add(wkt(p)));
        yield "GEOMETRYCOLLECTION (" + String.join(", ", parts) + ")";
      }
      default -> throw new IllegalArgumentException("GeoJSON type \"" + type + "\" is not a geometry (Point, LineString, "
          + "Polygon, their Multi- forms, GeometryCollection, or a Feature)");
    };
  }

  private static String rings(com.fasterxml.jackson.databind.JsonNode rings) {
    List<String> out = new ArrayList<>();
    rings.forEach(r -> out.add("(" + positions(r) + ")"));
    return String.join(", ", out);
  }

  private static String positions(com.fasterxml.jackson.databind.JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(p -> out.add(position(p)));
    return String.join(", ", out);
  }

  private static String position(com.fasterxml.jackson.databind.JsonNode p) {
    if (p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
      throw new IllegalArgumentException("GeoJSON position " + p + " is not [longitude, latitude]");
    }
    return p.get(0).asText() + " " + p.get(1).asText();
  }

  /** The polygon of a box (for indexing footprints). */
  Polygon polygon() {
    Object shape = parse(wkt);
    if (shape instanceof Rectangle r) {
      return new Polygon(new double[] {r.minLat, r.minLat, r.maxLat, r.maxLat, r.minLat},
          new double[] {r.minLon, r.maxLon, r.maxLon, r.minLon, r.minLon});
    }
    throw new IllegalStateException("not a box: " + wkt);
  }

  /** Lucene's geometries for a shape query. */
  LatLonGeometry[] geometries() {
    Object shape = parse(wkt);
    List<LatLonGeometry> out = new ArrayList<>();
    collect(shape, out);
    return out.toArray(new LatLonGeometry[0]);
  }

  private static void collect(Object shape, List<LatLonGeometry> out) {
    if (shape instanceof LatLonGeometry g) {
      out.add(g);
    } else if (shape instanceof double[] point) {
      out.add(new Point(point[1], point[0]));
    } else if (shape instanceof Object[] many) {
      for (Object o : many) {
        collect(o, out);
      }
    } else {
      throw new IllegalArgumentException("unsupported geometry " + shape);
    }
  }

  private static Object parse(String wkt) {
    try {
      Object shape = SimpleWKTShapeParser.parse(wkt);
      if (shape == null) {
        throw new IllegalArgumentException("geometry \"" + wkt + "\" is empty");
      }
      return shape;
    } catch (ParseException | java.io.IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("geometry")) {
        throw iae;
      }
      throw new IllegalArgumentException("geometry \"" + (wkt.length() > 80 ? wkt.substring(0, 80) + "…" : wkt)
          + "\" is not valid WKT: " + e.getMessage());
    }
  }

}

package io.remoteclip.geo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes an RFC 7946 GeoJSON FeatureCollection of window footprints: each geometry is the WGS84 polygon
 * (longitude, latitude; exterior ring counter-clockwise), or null for a scene without georeferencing; the
 * properties carry the pixel window, the native CRS and its ring, and the caller's values (score, label, rank).
 */
public final class GeoJson {
  private GeoJson() {}

  /** One feature: its footprint and properties (values: strings, numbers, booleans, lists, maps). */
  public record Feature(Footprint footprint, Map<String, Object> properties) {}

  /** Writes {@code features} to {@code out} (not closed); {@code members} are added to the collection object. */
  public static void write(OutputStream out, List<Feature> features, Map<String, Object> members) throws IOException {
    JsonFactory factory = new JsonFactory();
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("type", "FeatureCollection");
      for (Map.Entry<String, Object> m : members.entrySet()) {
        g.writeFieldName(m.getKey());
        value(g, m.getValue());
      }
      g.writeArrayFieldStart("features");
      for (Feature f : features) {
        feature(g, f);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void feature(JsonGenerator g, Feature f) throws IOException {
    Footprint fp = f.footprint();
    g.writeStartObject();
    g.writeStringField("type", "Feature");
    if (fp.isGeoreferenced()) {
      double[] b = fp.lonLatBounds();
      g.writeArrayFieldStart("bbox");
      for (double v : b) {
        g.writeNumber(v);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("geometry");
      g.writeStringField("type", "Polygon");
      g.writeFieldName("coordinates");
      g.writeStartArray();
      ring(g, fp.lonLatRing());
      g.writeEndArray();
      g.writeEndObject();
    } else {
      g.writeNullField("geometry");
    }
    g.writeObjectFieldStart("properties");
    for (Map.Entry<String, Object> p : f.properties().entrySet()) {
      g.writeFieldName(p.getKey());
      value(g, p.getValue());
    }
    var w = fp.window();
    g.writeFieldName("pixel_window");
    value(g, Map.of("x", w.x, "y", w.y, "width", w.width, "height", w.height));
    if (fp.isGeoreferenced()) {
      g.writeStringField("crs", fp.crs());
      g.writeFieldName("native_coordinates");
      g.writeStartArray();
      ring(g, fp.nativeRing());
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void ring(JsonGenerator g, double[][] ring) throws IOException {
    g.writeStartArray();
    for (double[] p : ring) {
      g.writeStartArray();
      g.writeNumber(p[0]);
      g.writeNumber(p[1]);
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      // x, y, width, height read better in that order than in a hash map's
      for (String k : orderedKeys(m)) {
        g.writeFieldName(k);
        value(g, m.get(k));
      }
      g.writeEndObject();
    } else if (v instanceof Iterable<?> it) {
      g.writeStartArray();
      for (Object o : it) {
        value(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof double[] a) {
      g.writeStartArray();
      for (double d : a) {
        g.writeNumber(d);
      }
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }

  private static List<String> orderedKeys(Map<?, ?> m) {
    List<String> pixel = List.of("x", "y", "width", "height");
    if (m.keySet().stream().allMatch(pixel::contains)) {
      return pixel.stream().filter(m::containsKey).toList();
    }
    return m.keySet().stream().map(Object::toString).toList();
  }
}

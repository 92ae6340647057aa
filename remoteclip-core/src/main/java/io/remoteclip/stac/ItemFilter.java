package io.remoteclip.stac;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;

/**
 * The filters a static catalog is searched with, applied to each item as a STAC API would: collection ids,
 * a WGS84 box (against the item's {@code bbox}, or its geometry's bounds when it has none), and a time
 * interval (against {@code datetime}, or {@code start_datetime}/{@code end_datetime}). An item lacking what a
 * filter tests is left out.
 *
 * @param collections wanted collection ids (empty: any)
 * @param bbox box the item must intersect, or {@code null}
 * @param datetime interval the item's time must overlap, or {@code null}
 */
public record ItemFilter(Set<String> collections, BoundingBox bbox, TimeInterval datetime) {
  public static final ItemFilter ALL = new ItemFilter(Set.of(), null, null);

  public ItemFilter {
    collections = Set.copyOf(collections);
  }

  /** Whether {@code item} passes; {@code enclosingCollection} is the id of the Collection it was found under. */
  public boolean test(StacItem item, String enclosingCollection) {
    if (!collections.isEmpty()) {
      String c = item.collection() != null ? item.collection() : enclosingCollection;
      if (c == null || !collections.contains(c)) {
        return false;
      }
    }
    if (bbox != null) {
      double[] b = item.bbox() != null ? item.bbox() : bounds(item.geometry());
      if (b == null || !intersects(b)) {
        return false;
      }
    }
    if (datetime != null) {
      Instant[] t = time(item);
      return t != null && datetime.overlaps(t[0], t[1]);
    }
    return true;
  }

  private boolean intersects(double[] b) {
    try {
      return bbox.intersects(new BoundingBox(b[0], b[1], b[2], b[3]));
    } catch (IllegalArgumentException e) {
      return false; // an item box out of range matches nothing rather than failing the whole walk
    }
  }

  /** {@code [start, end]} of an item, or {@code null} when it gives no (readable) time. */
  static Instant[] time(StacItem item) {
    try {
      String at = item.datetime();
      if (at != null) {
        Instant t = TimeInterval.instant(at, false);
        return new Instant[] {t, t};
      }
      String s = item.property("start_datetime");
      String e = item.property("end_datetime");
      if (s == null && e == null) {
        return null;
      }
      return new Instant[] {s == null ? Instant.MIN : TimeInterval.instant(s, false),
          e == null ? Instant.MAX : TimeInterval.instant(e, true)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code [west, south, east, north]} of a GeoJSON geometry's coordinates, or {@code null}. */
  static double[] bounds(JsonNode geometry) {
    double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    if (geometry.has("geometries")) {
      geometry.get("geometries").forEach(g -> collect(g.path("coordinates"), b));
    } else {
      collect(geometry.path("coordinates"), b);
    }
    return b[0] <= b[2] ? b : null;
  }

  private static void collect(JsonNode c, double[] b) {
    if (!c.isArray() || c.isEmpty()) {
      return;
    }
    if (c.get(0).isNumber() && c.size() >= 2) {
      b[0] = Math.min(b[0], c.get(0).asDouble());
      b[1] = Math.min(b[1], c.get(1).asDouble());
      b[2] = Math.max(b[2], c.get(0).asDouble());
      b[3] = Math.max(b[3], c.get(1).asDouble());
      return;
    }
    for (JsonNode child : c) {
      collect(child, b);
    }
  }
}

package io.remoteclip.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One search result.
 *
 * @param id stable document id (see {@link ImageRecord#idOf})
 * @param score cosine similarity between query and image embedding, in [-1, 1]
 * @param footprint GeoTIFF footprint, or null
 */
public record SearchHit(String id, String path, double score, List<String> labels, int width, int height,
    GeoFootprint footprint) {
  /** The JSON shape used by {@code search --json} and the HTTP API. */
  public Map<String, Object> toMap() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", id);
    o.put("path", path);
    o.put("score", score);
    o.put("labels", labels);
    o.put("width", width);
    o.put("height", height);
    if (footprint != null) {
      o.put("crs", footprint.crs());
      o.put("bounds", List.of(footprint.minX(), footprint.minY(), footprint.maxX(), footprint.maxY()));
    }
    return o;
  }
}

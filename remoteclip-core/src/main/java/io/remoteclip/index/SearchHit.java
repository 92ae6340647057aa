package io.remoteclip.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One search result.
 *
 * @param id stable document id (see {@link ImageRecord#idOf})
 * @param path the document key: path relative to the indexed root (or the name the image was added under)
 * @param score cosine similarity between query and image embedding, in [-1, 1]
 * @param footprint GeoTIFF footprint, or null
 * @param zeroShot zero-shot labels of the image, most probable first, when asked for; else empty
 */
public record SearchHit(String id, String path, double score, List<String> labels, int width, int height,
    GeoFootprint footprint, List<LabelScore> zeroShot) {
  public SearchHit {
    labels = List.copyOf(labels);
    zeroShot = zeroShot == null ? List.of() : List.copyOf(zeroShot);
  }

  public SearchHit(String id, String path, double score, List<String> labels, int width, int height, GeoFootprint footprint) {
    this(id, path, score, labels, width, height, footprint, List.of());
  }

  public SearchHit withZeroShot(List<LabelScore> scores) {
    return new SearchHit(id, path, score, labels, width, height, footprint, scores);
  }

  public SearchHit withPath(String shownPath) {
    return new SearchHit(id, shownPath, score, labels, width, height, footprint, zeroShot);
  }

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
      double[] ll = footprint.lonLat();
      if (ll != null) {
        o.put("lonlat_bounds", List.of(ll[0], ll[1], ll[2], ll[3]));
      }
    }
    if (!zeroShot.isEmpty()) {
      List<Map<String, Object>> z = new ArrayList<>();
      for (LabelScore s : zeroShot) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", s.label());
        m.put("probability", s.probability());
        z.add(m);
      }
      o.put("zero_shot", z);
    }
    return o;
  }
}

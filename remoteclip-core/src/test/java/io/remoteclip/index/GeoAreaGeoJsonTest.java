package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoJSON geometries as search areas: the same WKT as written by hand, and the same hits. */
class GeoAreaGeoJsonTest {
  @TempDir Path tmp;

  @Test
  void geometriesBecomeTheirWkt() {
    assertEquals("POLYGON ((8.1 47.1, 9.9 47.1, 8.1 47.4, 8.1 47.1))", GeoArea.of(
        "{\"type\":\"Polygon\",\"coordinates\":[[[8.1,47.1],[9.9,47.1],[8.1,47.4],[8.1,47.1]]]}").wkt());
    assertEquals("POINT (8.2 47.3)", GeoArea.of("{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
        + "{\"type\":\"Point\",\"coordinates\":[8.2,47.3]}}").wkt());
    assertEquals("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))", GeoArea.of("{\"type\":\"MultiPolygon\","
        + "\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}").wkt());
    assertEquals("LINESTRING (0 0, 1 1)", GeoArea.of("{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}").wkt());
    assertEquals("POLYGON((1 2, 3 4, 5 6, 1 2))", GeoArea.of("POLYGON((1 2, 3 4, 5 6, 1 2))").wkt(), "WKT as it is");
    for (String bad : List.of("{\"type\":\"FeatureCollection\",\"features\":[]}", "{\"type\":\"Point\",\"coordinates\":[\"a\",1]}",
        "{\"type\":\"Polygon\"")) {
      assertThrows(IllegalArgumentException.class, () -> GeoArea.of(bad), bad);
    }
  }

  @Test
  void aGeoJsonAreaFiltersAsItsWkt() throws Exception {
    Path dir = tmp.resolve("idx");
    try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("m", 2))) {
      for (int i = 0; i < 10; i++) {
        w.put(new ImageRecord("t" + i, "m", 1, 1, 0, 0, null, List.of(), new GeoFootprint(4326, i, 0, i + 0.5, 0.5),
            new float[] {1, i}));
      }
    }
    try (ImageIndex idx = ImageIndex.open(dir)) {
      GeoArea json = GeoArea.of("{\"type\":\"Polygon\",\"coordinates\":[[[2.2,0.1],[4.2,0.1],[4.2,0.2],[2.2,0.2],[2.2,0.1]]]}");
      GeoArea wkt = new GeoArea("POLYGON((2.2 0.1, 4.2 0.1, 4.2 0.2, 2.2 0.2, 2.2 0.1))");
      List<String> a = idx.nearest(new float[] {1, 0}, 10, SearchFilter.NONE.withGeo(json), true, 10).stream()
          .map(SearchHit::path).sorted().toList();
      assertEquals(List.of("t2", "t3", "t4"), a);
      assertEquals(a, idx.nearest(new float[] {1, 0}, 10, SearchFilter.NONE.withGeo(wkt), true, 10).stream()
          .map(SearchHit::path).sorted().toList());
      assertTrue(idx.withoutFootprint() == 0);
    }
  }
}

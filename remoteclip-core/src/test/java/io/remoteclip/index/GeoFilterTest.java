package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Geographic filters on the embedded index return exactly the documents whose WGS84 footprint intersects the
 * area (checked against a direct box-intersection test), for HNSW and exact search, with labels too.
 */
class GeoFilterTest {
  @TempDir Path tmp;

  private record Doc(String key, float[] v, double[] box, String label) {}

  @Test
  void boxesAndPolygonsSelectExactlyTheIntersectingFootprints() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    List<Doc> docs = new ArrayList<>();
    Path dir = tmp.resolve("idx");
    try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("m", 8))) {
      for (int i = 0; i < 120; i++) {
        float[] v = new float[8];
        for (int j = 0; j < 8; j++) {
          v[j] = (float) r.nextGaussian();
        }
        // a 10 x 6 grid of 0.5-degree tiles near Zurich for 60 docs, no footprint for the rest
        double[] box = i < 60 ? new double[] {8 + (i % 10) * 0.5, 47 + (i / 10) * 0.5, 8.5 + (i % 10) * 0.5, 47.5 + (i / 10) * 0.5}
            : null;
        String label = i % 4 == 0 ? "lake" : "town";
        GeoFootprint fp = box == null ? null : new GeoFootprint(4326, box[0], box[1], box[2], box[3]);
        w.put(new ImageRecord("t/" + i + ".tif", "m", 64, 64, 1, 1, null, List.of(label), fp, v));
        docs.add(new Doc("t/" + i + ".tif", io.remoteclip.vector.Vectors.normalized(v), box, label));
      }
    }
    try (ImageIndex idx = ImageIndex.open(dir)) {
      assertEquals(60, idx.withoutFootprint());
      GeoArea area = GeoArea.parseBox("8.7,47.2,9.8,47.9");
      for (int q = 0; q < 10; q++) {
        float[] query = docs.get(q * 11).v();
        Predicate<Doc> inBox = d -> d.box() != null && d.box()[0] <= 9.8 && d.box()[2] >= 8.7 && d.box()[1] <= 47.9
            && d.box()[3] >= 47.2;
        for (boolean exact : new boolean[] {false, true}) {
          assertEquals(brute(docs, query, 100, inBox),
              keys(idx.nearest(query, 100, SearchFilter.NONE.withGeo(area), exact, 200)), "exact=" + exact);
          assertEquals(brute(docs, query, 5, inBox.and(d -> d.label().equals("lake"))),
              keys(idx.nearest(query, 5, SearchFilter.labels(List.of("lake")).withGeo(area), exact, 200)));
        }
        // A triangle over the first row of tiles only touches those whose box meets it.
        GeoArea triangle = new GeoArea("POLYGON((8.1 47.1, 9.9 47.1, 8.1 47.4, 8.1 47.1))");
        List<String> hits = keys(idx.nearest(query, 100, SearchFilter.NONE.withGeo(triangle), true, 200));
        assertTrue(!hits.isEmpty() && hits.stream().allMatch(k -> Integer.parseInt(k.replaceAll("\\D", "")) < 10), hits.toString());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> GeoArea.parseBox("9,47,8,48"));
    assertThrows(IllegalArgumentException.class, () -> new GeoArea("POLYGON((1 2, 3"));
  }

  @Test
  void aSelectiveBoxIsAnsweredExactlyAndABroadOneThroughTheGraph() throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    List<Doc> docs = new ArrayList<>();
    Path dir = tmp.resolve("grid");
    try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("m", 16))) {
      for (int i = 0; i < 5000; i++) {
        float[] v = new float[16];
        for (int j = 0; j < 16; j++) {
          v[j] = (float) r.nextGaussian();
        }
        // a 100 x 50 grid of 0.01-degree tiles
        double[] box = {(i % 100) * 0.01, (i / 100) * 0.01, (i % 100) * 0.01 + 0.01, (i / 100) * 0.01 + 0.01};
        w.put(new ImageRecord("g/" + i, "m", 64, 64, 1, 1, null, List.of(), new GeoFootprint(4326, box[0], box[1], box[2],
            box[3]), v));
        docs.add(new Doc("g/" + i, io.remoteclip.vector.Vectors.normalized(v), box, ""));
      }
    }
    try (ImageIndex idx = ImageIndex.open(dir)) {
      // 10 x 5 tiles (1 %: below sqrt(40 * 10 * 5000) = 1,414 admitted, scored one by one) and the west half (2,500)
      double[][] areas = {{0.003, 0.003, 0.097, 0.047}, {0.003, 0.003, 0.497, 0.497}};
      double recallSum = 0;
      for (int q = 0; q < 20; q++) {
        float[] query = docs.get(q * 97).v();
        for (double[] a : areas) {
          Predicate<Doc> in = d -> d.box()[0] <= a[2] && d.box()[2] >= a[0] && d.box()[1] <= a[3] && d.box()[3] >= a[1];
          List<String> truth = brute(docs, query, 10, in);
          List<String> got = keys(idx.nearest(query, 10, SearchFilter.NONE.withGeo(GeoArea.parseBox(a[0] + "," + a[1] + ","
              + a[2] + "," + a[3])), false, 10));
          assertTrue(got.stream().allMatch(k -> in.test(docs.get(Integer.parseInt(k.substring(2))))), got.toString());
          if (a == areas[0]) {
            assertEquals(truth, got, "a selective box is answered exactly");
          } else {
            recallSum += got.stream().filter(truth::contains).count() / 10.0;
          }
        }
      }
      assertTrue(recallSum / 20 >= 0.8, "graph search over half the grid, recall@10 " + recallSum / 20);
    }
  }

  private static List<String> keys(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::path).toList();
  }

  private static List<String> brute(List<Doc> docs, float[] q, int k, Predicate<Doc> keep) {
    return docs.stream().filter(keep).sorted(Comparator.comparingDouble((Doc d) -> -dot(q, d.v()))).limit(k)
        .map(Doc::key).toList();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}

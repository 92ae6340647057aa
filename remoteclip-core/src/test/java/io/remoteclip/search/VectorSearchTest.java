package io.remoteclip.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.remoteclip.DataFormatException;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexWriter;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.SearchHit;
import io.remoteclip.vector.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search by example without a model, on an index of an unknown model: against brute-force cosine. */
class VectorSearchTest {
  @TempDir Path tmp;

  @Test
  void byKeyByIdAndByVectorAsBruteForce() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    List<float[]> vectors = new ArrayList<>();
    Path dir = tmp.resolve("idx");
    try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("external:6d", 6))) {
      for (int i = 0; i < 50; i++) {
        float[] v = new float[6];
        for (int j = 0; j < 6; j++) {
          v[j] = (float) r.nextGaussian();
        }
        vectors.add(v);
        w.put(ImageRecord.of("row" + i, "external:6d", v, List.of()));
      }
    }
    try (ImageIndex idx = ImageIndex.open(dir)) {
      SearchRequest exact = SearchRequest.top(5).withExact(true);
      List<String> expected = brute(vectors, vectors.get(7), 5);
      assertEquals(expected, paths(VectorSearch.similar(idx, "row7", exact)));
      assertEquals(expected, paths(VectorSearch.similar(idx, ImageRecord.idOf("row7"), exact)));
      float[] scaled = vectors.get(7).clone();
      for (int j = 0; j < scaled.length; j++) {
        scaled[j] *= 3;
      }
      assertEquals(expected, paths(VectorSearch.nearest(idx, scaled, exact)), "any length: cosine");
      assertThrows(NoSuchImageException.class, () -> VectorSearch.similar(idx, "row99", exact));
      assertThrows(DataFormatException.class, () -> VectorSearch.nearest(idx, new float[5], exact));
    }
  }

  private static List<String> paths(SearchResult r) {
    return r.hits().stream().map(SearchHit::path).toList();
  }

  private static List<String> brute(List<float[]> vectors, float[] q, int k) {
    float[] nq = Vectors.normalized(q);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble(i -> -Vectors.dot(nq, Vectors.normalized(vectors.get(i)))));
    return order.subList(0, k).stream().map(i -> "row" + i).toList();
  }
}

package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.vector.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph's quantisation, M and beam: recorded in the index, checked on reopen, and what search reads. */
class GraphOptionsTest {
  @TempDir Path tmp;

  private static float[][] centres(Random rnd, int count, int d) {
    float[][] out = new float[count][d];
    for (float[] c : out) {
      for (int j = 0; j < d; j++) {
        c[j] = (float) rnd.nextGaussian();
      }
    }
    return out;
  }

  private static float[][] clustered(Random rnd, int n, int d, float[][] centres) {
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      float[] c = centres[rnd.nextInt(centres.length)];
      for (int j = 0; j < d; j++) {
        out[i][j] = (float) (c[j] + rnd.nextGaussian() * 0.7 / Math.sqrt(d));
      }
      out[i] = Vectors.normalized(out[i]);
    }
    return out;
  }

  private static void build(Path dir, float[][] rows, String quantize, Integer m, Integer beam) throws Exception {
    try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("vectors", rows[0].length), quantize, m, beam)) {
      for (int i = 0; i < rows.length; i++) {
        w.put(Integer.toString(i), rows[i], List.of());
      }
    }
  }

  @Test
  void userDataRoundTripsAndOldIndexesReadAsTheDefault() throws Exception {
    GraphOptions g = new GraphOptions("int4", 12, 80);
    assertEquals(g, GraphOptions.fromUserData(Path.of("idx"), g.toUserData()));
    assertEquals(GraphOptions.DEFAULT, GraphOptions.fromUserData(Path.of("idx"), Map.of("remoteclip.model.id", "m")));
    assertEquals(new GraphOptions("int8", 16, 200), GraphOptions.merge(GraphOptions.DEFAULT, "INT8", 16, null));
    assertThrows(IllegalArgumentException.class, () -> new GraphOptions("int2", 16, 100));
    assertThrows(IllegalArgumentException.class, () -> new GraphOptions("none", 0, 100));
  }

  @Test
  void anIndexRecordsItsGraphAndRefusesOtherOptionsInOneLineWritingNothing() throws Exception {
    Random rnd = new Random(1);
    float[][] centres = centres(rnd, 5, 16);
    float[][] rows = clustered(rnd, 200, 16, centres);
    Path dir = tmp.resolve("idx");
    build(dir, rows, "int8", 16, 50);
    try (ImageIndex index = ImageIndex.open(dir)) {
      assertEquals(new GraphOptions("int8", 16, 50), index.graph());
      assertEquals(200, index.size());
    }
    Set<String> before = listing(dir);
    for (Object[] other : new Object[][] {{"none", null, null}, {"int4", null, null}, {null, 32, null}, {null, null, 100}}) {
      ModelMismatchException e = assertThrows(ModelMismatchException.class,
          () -> build(dir, rows, (String) other[0], (Integer) other[1], (Integer) other[2]));
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().startsWith(dir + ": index built with "), e.getMessage());
      assertEquals(before, listing(dir));
    }
    // without options, a run appends with what the index records
    try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("vectors", 16), null, null, null)) {
      assertEquals(new GraphOptions("int8", 16, 50), w.graph());
      w.put("extra", rows[0], List.of());
    }
    try (ImageIndex index = ImageIndex.open(dir)) {
      assertEquals(new GraphOptions("int8", 16, 50), index.graph());
      assertEquals(201, index.size());
    }
    // the plain open() of library callers and indexers keeps the recorded options too
    try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("vectors", 16))) {
      assertEquals(new GraphOptions("int8", 16, 50), w.graph());
    }
    Path fresh = tmp.resolve("fresh");
    build(fresh, rows, null, null, null);
    try (ImageIndex index = ImageIndex.open(fresh)) {
      assertEquals(GraphOptions.DEFAULT, index.graph());
    }
  }

  @Test
  void int8IndexFindsNineInTenOfTheTrueTopTen() throws Exception {
    int n = 5000;
    int d = 64;
    Random rnd = new Random(7);
    float[][] centres = centres(rnd, 20, d);
    float[][] base = clustered(rnd, n, d, centres);
    float[][] queries = clustered(rnd, 100, d, centres);
    for (String q : new String[] {"int8", "int4"}) {
      Path dir = tmp.resolve(q);
      build(dir, base, q, 16, 100);
      double recall = 0;
      try (ImageIndex index = ImageIndex.open(dir)) {
        assertTrue(index.graph().quantized());
        for (float[] query : queries) {
          Set<String> truth = index.exactSearch(query, 10, null).stream().map(SearchHit::path).collect(Collectors.toSet());
          List<SearchHit> hits = index.search(query, 10, null, 64);
          assertEquals(10, hits.size());
          for (int i = 1; i < hits.size(); i++) {
            assertFalse(hits.get(i).score() > hits.get(i - 1).score(), "re-scored hits come best first");
          }
          // scores are exact cosines (re-scored with the float vectors), not quantised ones
          float[] v = base[Integer.parseInt(hits.get(0).path())];
          assertEquals(Vectors.dot(Vectors.normalized(query), v), hits.get(0).score(), 1e-5);
          recall += hits.stream().filter(h -> truth.contains(h.path())).count() / 10.0;
        }
      }
      recall /= queries.length;
      if (q.equals("int8")) {
        assertTrue(recall >= 0.9, q + " recall@10 " + recall);
      } else {
        // 4 bits: 16 levels per dimension cannot tell tight cluster members apart; 0.69 measured here at ef 64
        assertTrue(recall >= 0.5, q + " recall@10 " + recall);
      }
    }
  }

  /**
   * Re-scoring reads each segment's float vectors in one forward pass over the candidates sorted by document: with a
   * candidate list as large as the index, a quantised search over several segments returns exactly what brute force
   * does, scores included.
   */
  @Test
  void aQuantisedSearchOverSeveralSegmentsReScoresEveryCandidateWithItsOwnVector() throws Exception {
    Random rnd = new Random(11);
    float[][] centres = centres(rnd, 4, 24);
    float[][] base = clustered(rnd, 900, 24, centres);
    Path dir = tmp.resolve("segments");
    for (int part = 0; part < 3; part++) {
      try (ImageIndexWriter w = ImageIndexWriter.open(dir, IndexMetadata.of("vectors", 24), "int8", 16, 100)) {
        for (int i = part * 300; i < (part + 1) * 300; i++) {
          w.put(Integer.toString(i), base[i], List.of());
        }
      }
    }
    try (Directory d = FSDirectory.open(dir)) {
      assertEquals(3, SegmentInfos.readLatestCommit(d).size(), "segments");
    }
    try (ImageIndex index = ImageIndex.open(dir)) {
      for (int t = 0; t < 20; t++) {
        float[] query = clustered(rnd, 1, 24, centres)[0];
        List<SearchHit> exact = index.exactSearch(query, 10, null);
        List<SearchHit> hits = index.search(query, 10, null, base.length);
        assertEquals(exact.stream().map(SearchHit::path).toList(), hits.stream().map(SearchHit::path).toList());
        for (int i = 0; i < hits.size(); i++) {
          float[] v = base[Integer.parseInt(hits.get(i).path())];
          assertEquals(Vectors.dot(Vectors.normalized(query), v), hits.get(i).score(), 1e-5, "score of hit " + i);
        }
      }
    }
  }

  /**
   * A quantised index searches its int8 copy and reads the float one only to re-score candidates: positional reads,
   * so that the float copy does not become resident in the process a page-around at a time; a float index's graph
   * scores the float copy itself and keeps it mapped.
   */
  @Test
  void aQuantisedIndexReadsItsFloatCopyWithoutMappingIt() throws Exception {
    Path maps = Path.of("/proc/self/maps");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "no /proc/self/maps (not Linux)");
    Random rnd = new Random(3);
    float[][] centres = centres(rnd, 5, 32);
    float[][] base = clustered(rnd, 500, 32, centres);
    for (String q : new String[] {"none", "int8"}) {
      Path dir = tmp.resolve("mapped-" + q);
      // the bulk writer, whose segments are files of their own (a compound file is mapped whole, and small)
      try (ImageIndexWriter w = ImageIndexWriter.openBulk(dir, IndexMetadata.of("vectors", 32), q, 16, 100,
          ImageIndexWriter.Bulk.of(1))) {
        for (int i = 0; i < base.length; i++) {
          w.put(Integer.toString(i), base[i], List.of());
        }
      }
      assertTrue(listing(dir).stream().anyMatch(f -> f.endsWith(".vec")), "segments not in compound files");
      try (ImageIndex index = ImageIndex.open(dir)) {
        List<SearchHit> hits = index.search(base[0], 10, null, 32);
        assertEquals("0", hits.get(0).path());
        assertEquals(1.0, hits.get(0).score(), 1e-5, "the float vectors were read for the score");
        String real = dir.toRealPath().toString();
        boolean vecMapped = Files.readAllLines(maps).stream().anyMatch(l -> l.contains(real) && l.endsWith(".vec"));
        assertEquals(q.equals("none"), vecMapped, q + ": float vectors (.vec) mapped");
      }
    }
  }

  private static Set<String> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}

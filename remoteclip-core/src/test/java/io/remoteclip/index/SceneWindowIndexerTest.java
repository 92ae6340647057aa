package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Scene;
import io.remoteclip.vector.Vectors;
import java.awt.Rectangle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opengis.referencing.operation.MathTransform;

/**
 * Windows of a UTM scene as index documents: keys, sizes and footprints per window, embeddings equal to encoding
 * the window's pixels, geographic filters selecting exactly the windows an independent reprojection puts in the
 * box, and per-scene incremental updates.
 */
class SceneWindowIndexerTest {
  private static final double X0 = 500_000;
  private static final double Y0 = 5_200_000;
  private static final double PIXEL = 10;
  private static ClipEncoder encoder;

  @TempDir Path tmp;

  @BeforeAll
  static void open() throws Exception {
    encoder = TinyModel.open();
  }

  @AfterAll
  static void close() throws Exception {
    encoder.close();
  }

  private SceneWindowIndexer indexer(int window, int stride) throws Exception {
    return new SceneWindowIndexer(encoder, new ImageIndexer.Options(5, LabelSource.of(false, null),
        TinyModel.weights().toString(), null), window, stride);
  }

  private static Map<String, ImageRecord> records(Path idx) throws Exception {
    Map<String, ImageRecord> out = new TreeMap<>();
    try (ImageIndex i = ImageIndex.open(idx)) {
      for (ImageRecord r : i.records(true)) {
        out.put(r.path(), r);
      }
    }
    return out;
  }

  @Test
  void windowsOfAUtmSceneAreDocumentsWithTheirOwnFootprints() throws Exception {
    Path scenes = tmp.resolve("scenes");
    Files.createDirectories(scenes.resolve("a"));
    Path scene = scenes.resolve("a/utm.tif");
    GeoTiffs.write(scene, ByteOrder.LITTLE_ENDIAN, 96, 64, 1, X0, Y0, PIXEL, 32632, false);
    Path idx = tmp.resolve("idx");

    IndexSummary s = indexer(32, 16).update(List.of(scenes), idx, ProgressListener.NONE);
    // (96 - 32) / 16 + 1 = 5 columns, (64 - 32) / 16 + 1 = 3 rows
    assertEquals(15, s.added());
    assertEquals(15, s.documents());
    assertTrue(s.commits() >= 3, s.toString());
    try (var d = org.apache.lucene.store.FSDirectory.open(idx)) {
      // bulk writer: the commits every 5 windows merged into one graph segment
      assertEquals(1, org.apache.lucene.index.SegmentInfos.readLatestCommit(d).size());
    }
    Map<String, ImageRecord> recs = records(idx);
    assertEquals("a/utm.tif#x=0,y=0,w=32,h=32", recs.keySet().iterator().next());
    MathTransform toWgs84 = CRS.findOperation(CRS.forCode("EPSG:32632"), CommonCRS.WGS84.normalizedGeographic(), null)
        .getMathTransform();
    Map<String, double[]> lonLat = new TreeMap<>();
    try (Scene sc = Scene.open(scene)) {
      for (int y = 0; y <= 32; y += 16) {
        for (int x = 0; x <= 64; x += 16) {
          String key = "a/utm.tif#x=" + x + ",y=" + y + ",w=32,h=32";
          ImageRecord r = recs.get(key);
          assertEquals(32, r.width());
          assertEquals(32, r.height());
          GeoFootprint fp = r.footprint();
          assertEquals(32632, fp.epsg());
          assertArrayEquals(new double[] {X0 + x * PIXEL, Y0 - (y + 32) * PIXEL, X0 + (x + 32) * PIXEL, Y0 - y * PIXEL},
              new double[] {fp.minX(), fp.minY(), fp.maxX(), fp.maxY()}, 1e-6, key);
          double[] expected = lonLatBox(toWgs84, X0 + x * PIXEL, Y0 - (y + 32) * PIXEL, X0 + (x + 32) * PIXEL, Y0 - y * PIXEL);
          assertArrayEquals(expected, fp.lonLat(), 1e-9, key);
          lonLat.put(key, expected);
          // The scan path: the window's pixels encoded as an in-memory raster.
          float[] direct = QueryVectors.image(encoder, sc.readImage(new Rectangle(x, y, 32, 32), encoder.bands()));
          assertEquals(1.0, Vectors.dot(Vectors.normalized(direct), r.embedding()), 1e-5, key);
        }
      }
    }

    // A box over part of the scene selects exactly the windows whose WGS84 box meets it.
    double[] all = lonLatBox(toWgs84, X0, Y0 - 640, X0 + 960, Y0);
    double[] box = {all[0] + 0.55 * (all[2] - all[0]), all[1] + 0.6 * (all[3] - all[1]), all[2] + 0.01, all[3] + 0.01};
    Set<String> expected = lonLat.entrySet().stream().filter(e -> e.getValue()[0] <= box[2] && e.getValue()[2] >= box[0]
        && e.getValue()[1] <= box[3] && e.getValue()[3] >= box[1]).map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(expected.size() > 0 && expected.size() < 15, expected.toString());
    try (ImageIndex i = ImageIndex.open(idx)) {
      float[] q = recs.values().iterator().next().embedding();
      GeoArea area = GeoArea.box(box[0], box[1], box[2], box[3]);
      for (boolean exact : new boolean[] {true, false}) {
        List<SearchHit> hits = i.nearest(q, 50, SearchFilter.NONE.withGeo(area), exact, 200);
        assertEquals(expected, hits.stream().map(SearchHit::path).collect(Collectors.toCollection(TreeSet::new)));
        for (SearchHit h : hits) {
          assertArrayEquals(lonLat.get(h.path()), h.footprint().lonLat(), 1e-9);
        }
      }
    }

    // Re-running adds nothing; a new time with the same bytes refreshes; new content re-embeds.
    IndexSummary again = indexer(32, 16).update(List.of(scenes), idx, ProgressListener.NONE);
    assertEquals(List.of(0, 0, 0, 15, 15), List.of(again.added(), again.reembedded(), again.refreshed(), again.unchanged(),
        again.documents()));
    Files.setLastModifiedTime(scene, FileTime.fromMillis(Files.getLastModifiedTime(scene).toMillis() + 5000));
    IndexSummary touched = indexer(32, 16).update(List.of(scenes), idx, ProgressListener.NONE);
    assertEquals(List.of(0, 0, 15, 15), List.of(touched.added(), touched.reembedded(), touched.refreshed(), touched.documents()));
    float[] before = records(idx).get("a/utm.tif#x=0,y=0,w=32,h=32").embedding();
    GeoTiffs.write(scene, ByteOrder.LITTLE_ENDIAN, 96, 64, 7, X0, Y0, PIXEL, 32632, false);
    IndexSummary changed = indexer(32, 16).update(List.of(scenes), idx, ProgressListener.NONE);
    assertEquals(List.of(0, 15, 15), List.of(changed.added(), changed.reembedded(), changed.documents()));
    float[] after = records(idx).get("a/utm.tif#x=0,y=0,w=32,h=32").embedding();
    assertTrue(Vectors.dot(before, after) < 0.9999, "content changed, embedding kept");

    // Another grid replaces the scene's windows; a scene no longer given loses its windows.
    IndexSummary regrid = indexer(32, 32).update(List.of(scenes), idx, ProgressListener.NONE);
    assertEquals(6, regrid.documents());
    assertTrue(records(idx).keySet().stream().allMatch(k -> k.matches("a/utm\\.tif#x=(0|32|64),y=(0|32),w=32,h=32")));
    Path other = scenes.resolve("b.tif");
    GeoTiffs.write(other, ByteOrder.BIG_ENDIAN, 64, 64, 3, X0, Y0, PIXEL, 32632, false);
    IndexSummary moved = indexer(32, 32).update(List.of(other, scenes.resolve("a")), idx, ProgressListener.NONE);
    assertEquals(List.of(4, 6, 10), List.of(moved.added(), moved.unchanged(), moved.documents()));
    PruneRefusedException refused = assertThrows(PruneRefusedException.class,
        () -> indexer(32, 32).update(List.of(other), idx, ProgressListener.NONE));
    assertEquals(6, refused.removing(), "more than half of the windows would go: refused without prune");
    IndexSummary only = new SceneWindowIndexer(encoder, new ImageIndexer.Options(5, LabelSource.of(false, null),
        TinyModel.weights().toString(), null, true), 32, 32).update(List.of(other), idx, ProgressListener.NONE);
    assertEquals(List.of(6, 4), List.of(only.removed(), only.documents()));
    assertEquals(new TreeSet<>(List.of("b.tif#x=0,y=0,w=32,h=32", "b.tif#x=32,y=0,w=32,h=32", "b.tif#x=0,y=32,w=32,h=32",
        "b.tif#x=32,y=32,w=32,h=32")), new TreeSet<>(records(idx).keySet()));
  }

  @Test
  void windowKeysParseBack() {
    Rectangle w = new Rectangle(448, 224, 224, 112);
    SceneWindowIndexer.WindowKey k = SceneWindowIndexer.parse(SceneWindowIndexer.windowKey("d/s#1.tif", w)).orElseThrow();
    assertEquals("d/s#1.tif", k.scene());
    assertEquals(w, k.window());
    assertTrue(SceneWindowIndexer.parse("plain/file.tif").isEmpty());
  }

  /** WGS84 box of a native box's four corners, reprojected here rather than through the geo package. */
  private static double[] lonLatBox(MathTransform t, double minX, double minY, double maxX, double maxY) throws Exception {
    double[] pts = {minX, minY, maxX, minY, maxX, maxY, minX, maxY};
    double[] out = new double[8];
    t.transform(pts, 0, out, 0, 4);
    List<Double> lon = new ArrayList<>();
    List<Double> lat = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      lon.add(out[2 * i]);
      lat.add(out[2 * i + 1]);
    }
    return new double[] {lon.stream().min(Double::compare).get(), lat.stream().min(Double::compare).get(),
        lon.stream().max(Double::compare).get(), lat.stream().max(Double::compare).get()};
  }
}

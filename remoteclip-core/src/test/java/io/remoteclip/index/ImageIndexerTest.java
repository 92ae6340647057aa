package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.model.Activation;
import io.remoteclip.testing.SampleImages;
import io.remoteclip.vector.Vectors;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indexing mechanics on real UCM images with the random-weight golden model. */
class ImageIndexerTest {
  private static ClipEncoder encoder;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws Exception {
    encoder = TinyModel.open();
  }

  @AfterAll
  static void close() {
    if (encoder != null) {
      encoder.close();
    }
  }

  private IndexSummary index(Path root, Path idx, LabelSource labels) throws Exception {
    return new ImageIndexer(encoder, new ImageIndexer.Options(7, labels, TinyModel.weights().toString(), null))
        .update(root, idx, ProgressListener.NONE);
  }

  @Test
  void storesEncoderEmbeddingsLabelsAndChecksums() throws Exception {
    Path root = tmp.resolve("imgs");
    List<Path> files = TinyModel.copyUcm(root, TinyModel.ranges(6, 1, 101, 201));
    Path idx = tmp.resolve("idx");
    LabelSource labels = LabelSource.of(false, TinyModel.labels(tmp));
    IndexSummary s = index(root, idx, labels);
    assertEquals(18, s.added());
    assertEquals(18, s.documents());
    assertTrue(s.commits() >= 3, "commits every 7 images: " + s);

    float[][] expected = encoder.encodeImageFiles(files, true, ProgressListener.NONE).embeddings();
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(encoder.modelId(), index.metadata().modelId());
      assertEquals(192, index.metadata().dimension());
      Map<String, ImageRecord> byPath = new HashMap<>();
      for (ImageRecord r : index.records()) {
        byPath.put(r.path(), r);
      }
      for (int i = 0; i < files.size(); i++) {
        ImageRecord r = byPath.get(files.get(i).getFileName().toString());
        assertNotNull(r, files.get(i) + " indexed");
        double cos = VectorUtil.dotProduct(Vectors.normalized(expected[i]), r.embedding());
        assertEquals(1.0, cos, 1e-5, "stored embedding is the encoder's, normalised");
        assertEquals(io.remoteclip.hub.Checksums.sha256(files.get(i), ProgressListener.NONE), r.sha256());
        assertEquals(Files.size(files.get(i)), r.bytes());
        assertEquals(256, r.width());
      }
      assertEquals(List.of("agricultural"), byPath.get("1.jpg").labels());
      assertEquals(List.of("airplane"), byPath.get("101.jpg").labels());

      // Query by an indexed image's own embedding: itself first, cosine 1, in both search modes.
      float[] q = byPath.get("105.jpg").embedding();
      // (random weights put some tiles within 1e-7 of each other, so "itself" is among the top 3, at cosine 1)
      assertTrue(index.search(q, 3, null).stream().anyMatch(h -> h.path().equals("105.jpg") && h.score() > 1 - 1e-5));
      assertEquals(1.0, index.exactSearch(q, 1, null).get(0).score(), 1e-5);

      // On a small index HNSW must agree with brute force, order and scores.
      for (String text : List.of("a farm", "airplanes at an airport", "a baseball field", "houses")) {
        float[] t = QueryVectors.text(encoder, text);
        List<SearchHit> approx = index.search(t, 10, null);
        List<SearchHit> exact = index.exactSearch(t, 10, null);
        assertEquals(exact.stream().map(SearchHit::path).toList(), approx.stream().map(SearchHit::path).toList(), text);
        for (int i = 0; i < exact.size(); i++) {
          assertEquals(exact.get(i).score(), approx.get(i).score(), 1e-5);
          if (i > 0) {
            assertTrue(exact.get(i - 1).score() >= exact.get(i).score(), "best first");
          }
        }
        List<SearchHit> airplanes = index.exactSearch(t, 10, SearchFilter.labels(List.of("airplane")));
        assertEquals(6, airplanes.size());
        assertTrue(airplanes.stream().allMatch(h -> h.labels().equals(List.of("airplane"))));
        assertEquals(airplanes.stream().map(SearchHit::id).toList(),
            index.search(t, 10, SearchFilter.labels(List.of("airplane"))).stream().map(SearchHit::id).toList());
      }
      RecallReport r = index.recall(10, 18, 1);
      assertEquals(1.0, r.recall(), 1e-9, r.toString());
    }
  }

  @Test
  void incrementalUpdatesSkipChangeAndRemove() throws Exception {
    Path root = tmp.resolve("imgs");
    List<Path> files = TinyModel.copyUcm(root, TinyModel.ranges(5, 1, 301));
    Path idx = tmp.resolve("idx");
    assertEquals(10, index(root, idx, LabelSource.NONE).added());

    IndexSummary again = index(root, idx, LabelSource.NONE);
    assertEquals(10, again.unchanged(), again.toString());
    assertEquals(0, again.added() + again.reembedded() + again.refreshed() + again.removed());
    assertEquals(0, again.commits(), "a run with nothing to do writes no commit");

    Path touched = files.get(0);
    Files.setLastModifiedTime(touched, FileTime.fromMillis(Files.getLastModifiedTime(touched).toMillis() + 5000));
    Path changed = files.get(1);
    SampleImages.write(changed, 1001);
    Path deleted = files.get(2);
    Files.delete(deleted);
    TinyModel.copyUcm(root.resolve("sub"), 2001);
    Files.write(root.resolve("broken.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3});

    IndexSummary s = index(root, idx, LabelSource.of(true, null));
    assertEquals(1, s.added(), s.toString());
    assertEquals(1, s.reembedded(), s.toString());
    assertEquals(1, s.removed(), s.toString());
    assertEquals(1, s.failures().size(), s.toString());
    assertTrue(s.failures().get(0).message().contains("broken.jpg"));
    // --labels-from-folder gives sub/2001.jpg the label "sub"; the touched file is refreshed, not re-embedded
    assertEquals(8, s.unchanged() + s.refreshed(), s.toString());
    assertEquals(10, s.documents());

    try (ImageIndex index = ImageIndex.open(idx)) {
      Set<String> paths = new HashSet<>();
      for (ImageRecord r : index.records()) {
        assertTrue(paths.add(r.path()), "duplicate " + r.path());
      }
      assertTrue(!paths.contains(ImageIndexer.keyOf(root, deleted)));
      ImageRecord sub = index.record(ImageRecord.idOf("sub/2001.jpg")).orElseThrow();
      assertEquals(List.of("sub"), sub.labels());
      ImageRecord c = index.record(ImageRecord.idOf(ImageIndexer.keyOf(root, changed))).orElseThrow();
      float[] fresh = Vectors.normalized(encoder.encodeImageFiles(List.of(changed), true, ProgressListener.NONE).embeddings()[0]);
      assertEquals(1.0, VectorUtil.dotProduct(fresh, c.embedding()), 1e-5, "changed file re-embedded");
      ImageRecord t = index.record(ImageRecord.idOf(ImageIndexer.keyOf(root, touched))).orElseThrow();
      assertEquals(Files.getLastModifiedTime(touched).toMillis(), t.mtime());
    }
  }

  @Test
  void aFolderWithoutImagesIsRefusedAndTheIndexKept() throws Exception {
    Path root = tmp.resolve("imgs");
    TinyModel.copyUcm(root, 1, 2, 3);
    Path idx = tmp.resolve("idx");
    assertEquals(3, index(root, idx, LabelSource.NONE).added());
    Path empty = Files.createDirectories(tmp.resolve("unmounted"));
    Files.writeString(empty.resolve("notes.txt"), "not an image");
    io.remoteclip.DataFormatException e = assertThrows(io.remoteclip.DataFormatException.class,
        () -> index(empty, idx, LabelSource.NONE));
    assertTrue(e.getMessage().startsWith(empty.toAbsolutePath().normalize() + ": no image files"), e.getMessage());
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(3, index.size(), "nothing removed");
    }
  }

  @Test
  void removingMoreThanHalfOfTheDocumentsNeedsPrune() throws Exception {
    Path root = tmp.resolve("imgs");
    List<Path> files = TinyModel.copyUcm(root, 1, 2, 3, 4);
    Path idx = tmp.resolve("idx");
    assertEquals(4, index(root, idx, LabelSource.NONE).added());
    Files.delete(files.get(0));
    Files.delete(files.get(1));
    assertEquals(2, index(root, idx, LabelSource.NONE).removed(), "half of the documents: no consent needed");

    Path other = tmp.resolve("other");
    TinyModel.copyUcm(other, 101);
    PruneRefusedException e = assertThrows(PruneRefusedException.class, () -> index(other, idx, LabelSource.NONE));
    assertEquals(2, e.removing());
    assertTrue(e.getMessage().contains("would remove 2 of its 2 documents"), e.getMessage());
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(2, index.size(), "a refused run changes nothing");
    }

    IndexSummary pruned = new ImageIndexer(encoder, new ImageIndexer.Options(7, LabelSource.NONE,
        TinyModel.weights().toString(), null, true)).update(other, idx, ProgressListener.NONE);
    assertEquals(2, pruned.removed(), pruned.toString());
    assertEquals(1, pruned.documents(), pruned.toString());
  }

  @Test
  void geoTiffFootprintsAreStoredAndReturned() throws Exception {
    Path root = tmp.resolve("geo");
    Files.createDirectories(root);
    GeoTiffs.write(root.resolve("a.tif"), ByteOrder.LITTLE_ENDIAN, 32, 32, 1, 600000, 5000000, 0.3, 32633, false);
    GeoTiffs.write(root.resolve("b.tif"), ByteOrder.BIG_ENDIAN, 40, 20, 2, 10.5, 45.25, 0.001, 4326, false);
    Path idx = tmp.resolve("idx");
    assertEquals(2, index(root, idx, LabelSource.NONE).added());
    try (ImageIndex index = ImageIndex.open(idx)) {
      ImageRecord b = index.record(ImageRecord.idOf("b.tif")).orElseThrow();
      assertEquals(new GeoFootprint(4326, 10.5, 45.25 - 0.02, 10.5 + 0.04, 45.25), b.footprint());
      assertEquals(40, b.width());
      SearchHit hit = index.exactSearch(b.embedding(), 1, null).get(0);
      assertEquals("EPSG:4326", hit.toMap().get("crs"));
      assertEquals(4, ((List<?>) hit.toMap().get("bounds")).size());
    }
  }

  @Test
  void refusesToMixModels() throws Exception {
    Path root = tmp.resolve("imgs");
    TinyModel.copyUcm(root, 1, 2);
    Path idx = tmp.resolve("idx");
    index(root, idx, LabelSource.NONE);
    try (ClipEncoder gelu = TinyModel.open(Activation.GELU)) {
      ModelMismatchException e = assertThrows(ModelMismatchException.class, () ->
          new ImageIndexer(gelu, new ImageIndexer.Options(10, LabelSource.NONE, null, null)).update(root, idx, ProgressListener.NONE));
      assertTrue(e.getMessage().contains("cannot be mixed"), e.getMessage());
    }
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(2, index.size(), "the refused run changed nothing");
    }
  }

  @Test
  void documentsAreKeyedByRelativePathSoAMovedFolderIsStillIndexed() throws Exception {
    Path root = tmp.resolve("before");
    TinyModel.copyUcm(root.resolve("a"), 1, 2);
    TinyModel.copyUcm(root, 101);
    Path idx = tmp.resolve("idx");
    assertEquals(3, index(root, idx, LabelSource.NONE).added());
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(root.toAbsolutePath().normalize().toString(), index.metadata().root());
      Set<String> keys = new HashSet<>();
      index.records(false).forEach(r -> keys.add(r.path()));
      assertEquals(Set.of("a/1.jpg", "a/2.jpg", "101.jpg"), keys);
      assertEquals(root.resolve("a/1.jpg").toAbsolutePath().normalize(), index.file("a/1.jpg").orElseThrow());
      assertTrue(index.file("../outside.jpg").isEmpty(), "a key never reaches outside the root");
    }
    Path moved = tmp.resolve("after");
    Files.move(root, moved);
    IndexSummary s = index(moved, idx, LabelSource.NONE);
    assertEquals(3, s.unchanged(), "same relative paths, sizes and times: nothing to embed again; " + s);
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(moved.toAbsolutePath().normalize().toString(), index.metadata().root());
      assertTrue(Files.isRegularFile(index.file("a/2.jpg").orElseThrow()));
    }
  }

  @Test
  void theIndexFormatIsCheckedOnOpen() throws Exception {
    Path root = tmp.resolve("imgs");
    TinyModel.copyUcm(root, 1);
    Path idx = tmp.resolve("idx");
    index(root, idx, LabelSource.NONE);
    for (String format : List.of("1", "3")) {
      try (var dir = org.apache.lucene.store.FSDirectory.open(idx);
          var w = new org.apache.lucene.index.IndexWriter(dir, new org.apache.lucene.index.IndexWriterConfig())) {
        Map<String, String> data = new HashMap<>();
        w.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
        data.put(IndexMetadata.FORMAT, format);
        w.setLiveCommitData(data.entrySet());
        w.commit();
      }
      io.remoteclip.DataFormatException e = assertThrows(io.remoteclip.DataFormatException.class, () -> ImageIndex.open(idx));
      assertTrue(e.getMessage().contains("index format " + format + "; this version reads 2"), e.getMessage());
      assertThrows(io.remoteclip.DataFormatException.class, () -> index(root, idx, LabelSource.NONE), "the indexer refuses it too");
    }
  }

  // The bulk writer: every commit of a folder indexed from scratch holds one graph segment (a search visits one
  // graph), however many segments the run flushed, and finds what brute force and a plain multi-segment index find.

  private static SegmentInfos lastCommit(Path dir) throws Exception {
    try (var d = FSDirectory.open(dir)) {
      return SegmentInfos.readLatestCommit(d);
    }
  }

  @Test
  void everyCommitOfAFolderHoldsOneGraphSegment() throws Exception {
    Path root = tmp.resolve("imgs");
    TinyModel.copyUcm(root, TinyModel.ranges(10, 1, 101, 201));
    Path idx = tmp.resolve("idx");
    List<Integer> segmentsPerCommit = new ArrayList<>();
    // update() is called after each batch, so after each commit point of "commit every 7"
    ProgressListener watch = new ProgressListener() {
      @Override
      public void update(long done) {
        try {
          SegmentInfos infos = lastCommit(idx);
          assertTrue(infos.asList().stream().noneMatch(s -> BulkFlatVectorsFormat.wrote(s.info)), "a flat segment committed");
          segmentsPerCommit.add(infos.size());
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    };
    IndexSummary s = new ImageIndexer(encoder, new ImageIndexer.Options(7, LabelSource.NONE, TinyModel.weights().toString(),
        null)).update(root, idx, watch);
    assertEquals(30, s.documents(), s.toString());
    assertTrue(s.commits() >= 4, "commits every 7 images: " + s);
    assertFalse(segmentsPerCommit.isEmpty());
    assertTrue(segmentsPerCommit.stream().allMatch(n -> n == 1), "segments per commit: " + segmentsPerCommit);
    assertEquals(1, lastCommit(idx).size());

    // the same documents through a plain writer, a segment (and graph) per commit, as the folder path wrote before
    Path plain = tmp.resolve("plain");
    List<ImageRecord> records;
    try (ImageIndex index = ImageIndex.open(idx)) {
      records = index.records(true);
    }
    try (ImageIndexWriter w = ImageIndexWriter.open(plain, IndexMetadata.of(encoder.modelId(), 192))) {
      for (int i = 0; i < records.size(); i++) {
        w.put(records.get(i));
        if (i % 7 == 6) {
          w.commit();
        }
      }
    }
    assertTrue(lastCommit(plain).size() > 1, "the plain writer's segments: " + lastCommit(plain).size());
    try (ImageIndex index = ImageIndex.open(idx); ImageIndex reference = ImageIndex.open(plain)) {
      for (ImageRecord q : records) {
        List<String> found = paths(index.search(q.embedding(), 5, null));
        assertEquals(paths(index.exactSearch(q.embedding(), 5, null)), found, "query " + q.path());
        assertEquals(paths(reference.search(q.embedding(), 5, null)), found, "query " + q.path());
      }
    }
  }

  @Test
  void segmentsFlushedByASmallBufferMergeIntoOneAtTheCommit() throws Exception {
    Path root = tmp.resolve("imgs");
    TinyModel.copyUcm(root, TinyModel.ranges(10, 1, 101, 201));
    Path idx = tmp.resolve("idx");
    // about 20 KB: a 192-dimensional document with its stored fields flushes every dozen or so
    ImageIndexer.Options options = new ImageIndexer.Options(1000, LabelSource.NONE, TinyModel.weights().toString(), null)
        .withBulk(new ImageIndexWriter.Bulk(2, 0.02));
    IndexSummary s = new ImageIndexer(encoder, options).update(root, idx, ProgressListener.NONE);
    assertEquals(30, s.documents(), s.toString());
    SegmentInfos infos = lastCommit(idx);
    assertEquals(1, infos.size());
    assertEquals(30, infos.info(0).info.maxDoc());
    assertTrue(infos.counter > 2, "segments written before the merge: " + infos.counter);

    // a rerun over the unchanged folder writes nothing; one new image is one more commit, still one segment
    IndexSummary again = new ImageIndexer(encoder, options).update(root, idx, ProgressListener.NONE);
    assertEquals(0, again.commits(), again.toString());
    TinyModel.copyUcm(root, 301);
    IndexSummary more = new ImageIndexer(encoder, options).update(root, idx, ProgressListener.NONE);
    assertEquals(1, more.added(), more.toString());
    assertEquals(1, lastCommit(idx).size());
    try (ImageIndex index = ImageIndex.open(idx)) {
      assertEquals(31, index.size());
      ImageRecord added = index.record(ImageRecord.idOf("301.jpg")).orElseThrow();
      assertEquals("301.jpg", index.search(added.embedding(), 1, null).get(0).path());
    }
  }

  private static List<String> paths(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::path).toList();
  }
}

package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder is indexed through the bulk writer: every commit of a new index holds one graph segment (a search visits
 * one graph), however many segments the run flushed, and finds what brute force and a plain multi-segment index find.
 */
class FolderBulkIndexTest {
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

package io.remoteclip.index;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;

/**
 * The vectors of a bulk load's flushed segments: Lucene's flat float32 vectors, no graph. Building an HNSW graph
 * at flush runs on the one indexing thread, once per segment, and every later merge inserts most of it again;
 * a bulk writer ({@link ImageIndexWriter#openBulk}) flushes with this format instead and builds the graph once,
 * in the merge that {@link BulkMergePolicy} makes at each commit, on several threads (Lucene's concurrent HNSW
 * merge). Such segments are never committed; they are registered (META-INF/services) because the writer reads
 * them back to merge them.
 */
public final class BulkFlatVectorsFormat extends KnnVectorsFormat {
  /** The name Lucene records for the field in a flushed segment. */
  public static final String NAME = "RemoteclipBulkFlat";
  /** Set on the segments this format wrote, so the merge policy finds them without reading their fields. */
  static final String SEGMENT_ATTRIBUTE = "remoteclip.bulk.flat";

  private final Lucene99FlatVectorsFormat flat =
      new Lucene99FlatVectorsFormat(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

  public BulkFlatVectorsFormat() {
    super(NAME);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    state.segmentInfo.putAttribute(SEGMENT_ATTRIBUTE, "true");
    return flat.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return new Reader(flat.fieldsReader(state));
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return flat.getMaxDimensions(fieldName);
  }

  static boolean wrote(SegmentInfo segment) {
    return "true".equals(segment.getAttribute(SEGMENT_ATTRIBUTE));
  }

  /** The flat vectors for merging; a search would silently find nothing in them, so it is refused. */
  private static final class Reader extends ForwardingVectorsReader {
    Reader(FlatVectorsReader in) {
      super(in);
    }

    @Override
    public void search(String field, float[] target, KnnCollector knnCollector, Bits acceptDocs) {
      throw new IllegalStateException("a bulk load's segment without its graph (it should have been merged)");
    }

    @Override
    public void search(String field, byte[] target, KnnCollector knnCollector, Bits acceptDocs) {
      throw new IllegalStateException("a bulk load's segment without its graph (it should have been merged)");
    }
  }
}

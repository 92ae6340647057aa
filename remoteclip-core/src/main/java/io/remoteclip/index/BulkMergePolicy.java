package io.remoteclip.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;

/**
 * Merges of a bulk writer: nothing merges in the background; at each commit the segments flushed flat
 * ({@link BulkFlatVectorsFormat}) merge into the largest graph segment without deletions, whose graph Lucene takes
 * over as it stands and extends with the new vectors only (with none, they become a new graph). A fresh bulk load
 * so keeps exactly one segment, and builds each vector's graph entry once. {@code forceMerge(FLAT_ONLY)} makes that
 * merge alone; {@code forceMerge(n)} makes it, then Lucene's tiered policy merges down to n segments.
 */
final class BulkMergePolicy extends FilterMergePolicy {
  /** The forceMerge argument that merges the flat segments into the graph and nothing else. */
  static final int FLAT_ONLY = Integer.MAX_VALUE;

  BulkMergePolicy() {
    super(new TieredMergePolicy());
    setNoCFSRatio(0); // segments of millions of vectors: no compound-file copy of them
  }

  @Override
  public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
    return null;
  }

  @Override
  public MergeSpecification findFullFlushMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
    return null;
  }

  @Override
  public MergeSpecification findForcedMerges(SegmentInfos infos, int maxSegments,
      Map<SegmentCommitInfo, Boolean> segmentsToMerge, MergeContext context) throws IOException {
    Set<SegmentCommitInfo> merging = context.getMergingSegments();
    List<SegmentCommitInfo> flat = new ArrayList<>();
    SegmentCommitInfo graph = null;
    for (SegmentCommitInfo s : infos) {
      if (merging.contains(s)) {
        continue;
      }
      if (BulkFlatVectorsFormat.wrote(s.info)) {
        flat.add(s);
      } else if (context.numDeletedDocs(s) == 0 && (graph == null || s.info.maxDoc() > graph.info.maxDoc())) {
        graph = s; // Lucene reuses the graph of a segment without deletions only
      }
    }
    if (!flat.isEmpty()) {
      List<SegmentCommitInfo> segments = new ArrayList<>();
      if (graph != null) {
        segments.add(graph);
      }
      segments.addAll(flat);
      MergeSpecification spec = new MergeSpecification();
      spec.add(new OneMerge(segments));
      return spec;
    }
    return maxSegments == FLAT_ONLY ? null : super.findForcedMerges(infos, maxSegments, segmentsToMerge, context);
  }
}

package io.remoteclip.index;

import java.io.IOException;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraph;

/**
 * Lucene's int8 scalar-quantised HNSW ({@link Lucene99HnswScalarQuantizedVectorsFormat}, 7 bits), quantising every
 * vector again from its float32 copy whenever segments merge.
 *
 * <p>Why: Lucene 9.12 keeps a merged segment's old quantised bytes when the new quantiles lie within a fifth of a
 * step of the old ones and only corrects each vector's score offset. On embeddings that share a strong common
 * direction (CLIP's are anisotropic) that drift is not small next to what tells the vectors apart: 20,000 archive
 * vectors of docs/performance.md in 10 segments merged into one lost recall@10 from 0.996 (one segment) to 0.926 at
 * ef 16 with plain Lucene, and the bulk build's ten commits at 1 M left 0.05-0.31. Lucene re-quantises a segment
 * whose reader does not offer its quantisation state; this format's reader does not, and otherwise reads, searches
 * and provides its graph (so merges still extend the largest one) as Lucene's does. int4 needs nothing: Lucene
 * re-quantises at 4 bits or fewer anyway. Segments record this format's name; it is registered (META-INF/services).
 */
public final class RequantizingHnswVectorsFormat extends KnnVectorsFormat {
  public static final String NAME = "RemoteclipRequantizingHnsw";

  private final KnnVectorsFormat delegate;

  /** For reading (Lucene's SPI): the stored segments say how they were written. */
  public RequantizingHnswVectorsFormat() {
    this(new Lucene99HnswScalarQuantizedVectorsFormat());
  }

  RequantizingHnswVectorsFormat(Lucene99HnswScalarQuantizedVectorsFormat delegate) {
    super(NAME);
    this.delegate = delegate;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return new Reader(delegate.fieldsReader(state));
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return delegate.getMaxDimensions(fieldName);
  }

  @Override
  public String toString() {
    return NAME + "(" + delegate + ")";
  }

  /** Lucene's reader under one of this format's (for tests that look at the stored bytes); others as they are. */
  static KnnVectorsReader unwrap(KnnVectorsReader reader) {
    return reader instanceof Reader r ? r.in : reader;
  }

  /** Lucene's reader without its quantisation state. */
  private static final class Reader extends ForwardingVectorsReader implements HnswGraphProvider {
    Reader(KnnVectorsReader in) {
      super(in);
    }

    @Override
    public void search(String field, float[] target, KnnCollector knnCollector, Bits acceptDocs) throws IOException {
      in.search(field, target, knnCollector, acceptDocs);
    }

    @Override
    public void search(String field, byte[] target, KnnCollector knnCollector, Bits acceptDocs) throws IOException {
      in.search(field, target, knnCollector, acceptDocs);
    }

    @Override
    public HnswGraph getGraph(String field) throws IOException {
      return ((HnswGraphProvider) in).getGraph(field);
    }
  }
}

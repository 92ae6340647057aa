package io.remoteclip.index;

import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.store.IOContext;

/**
 * The codecs of an image index's writers. Lucene records each field's vectors format in the segment, so readers
 * use the stock codec; the name stays Lucene912's.
 */
final class IndexCodecs {
  private IndexCodecs() {}

  /** Every segment with {@code vectors}: what a plain writer (one graph per flushed segment) uses. */
  static Codec plain(KnnVectorsFormat vectors) {
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return vectors;
      }
    };
  }

  /** Flushed segments flat ({@link BulkFlatVectorsFormat}), merged ones with {@code graph}: a bulk writer's. */
  static Codec bulk(KnnVectorsFormat graph) {
    KnnVectorsFormat flushed = perField(new BulkFlatVectorsFormat());
    KnnVectorsFormat merged = perField(graph);
    KnnVectorsFormat byContext = new KnnVectorsFormat(flushed.getName()) {
      @Override
      public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return (state.context.context == IOContext.Context.MERGE ? merged : flushed).fieldsWriter(state);
      }

      @Override
      public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return merged.fieldsReader(state); // reads each field with the format its segment records
      }

      @Override
      public int getMaxDimensions(String fieldName) {
        return merged.getMaxDimensions(fieldName);
      }
    };
    return new FilterCodec("Lucene912", new Lucene912Codec()) {
      @Override
      public KnnVectorsFormat knnVectorsFormat() {
        return byContext;
      }
    };
  }

  private static KnnVectorsFormat perField(KnnVectorsFormat format) {
    return new PerFieldKnnVectorsFormat() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }
}

package io.remoteclip.index;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FloatVectorValues;

/**
 * A vectors reader that hands the vectors, integrity checks and resources to another: the project's formats
 * ({@link BulkFlatVectorsFormat}, {@link RequantizingHnswVectorsFormat}) differ from Lucene's only in what they
 * search or reveal. Lucene 9.12 has no such filter reader of its own.
 */
abstract class ForwardingVectorsReader extends KnnVectorsReader {
  protected final KnnVectorsReader in;

  ForwardingVectorsReader(KnnVectorsReader in) {
    this.in = in;
  }

  @Override
  public void checkIntegrity() throws IOException {
    in.checkIntegrity();
  }

  @Override
  public FloatVectorValues getFloatVectorValues(String field) throws IOException {
    return in.getFloatVectorValues(field);
  }

  @Override
  public ByteVectorValues getByteVectorValues(String field) throws IOException {
    return in.getByteVectorValues(field);
  }

  @Override
  public long ramBytesUsed() {
    return in.ramBytesUsed();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

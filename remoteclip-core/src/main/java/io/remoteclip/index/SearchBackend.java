package io.remoteclip.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the embeddings of an index live and how nearest neighbours are found: the seam between the search
 * service and a store. {@link ImageIndex} (local Lucene HNSW) is the default; a distributed store implements
 * the same contract. Only plain values cross it.
 *
 * <p>Implementations are thread-safe: searches run concurrently.
 */
public interface SearchBackend extends AutoCloseable {
  /** The model identity, embedding dimension and root the documents were indexed with. */
  IndexMetadata metadata();

  /** Number of documents. */
  int size();

  /**
   * The k documents nearest to {@code query} (cosine), best first, among those {@code filter} admits. Exact when
   * {@code exact}, else approximate exploring about {@code ef} candidates (more: better recall, slower).
   */
  java.util.List<SearchHit> nearest(float[] query, int k, SearchFilter filter, boolean exact, int ef) throws IOException;

  /** Documents without a WGS84 footprint: what a geographic filter leaves out whatever the area. */
  long withoutFootprint() throws IOException;

  /** The record (embedding included) of a document id, if indexed. */
  Optional<ImageRecord> record(String id) throws IOException;

  /** The local file of a document key, for indexes built from a folder on this machine; empty otherwise. */
  default Optional<Path> file(String key) {
    if (metadata().root() == null || io.remoteclip.remote.RasterLocation.isRemote(key)) {
      return Optional.empty();
    }
    Path root = Path.of(metadata().root());
    Path file = root.resolve(key).normalize();
    // A key is relative by construction; one that climbs out of the root names no file of this index.
    return file.startsWith(root) ? Optional.of(file) : Optional.empty();
  }

  @Override
  void close() throws IOException;
}

package io.remoteclip.search;

import io.remoteclip.DataFormatException;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.index.SearchHit;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Search by example without a model: the query is an indexed image's own embedding, or a vector given as it
 * is. Works on every index, including one filled from a third-party table whose model remoteclip cannot load.
 */
public final class VectorSearch {
  private VectorSearch() {}

  /** The nearest documents to {@code query} (any length-{@code dimension} vector; normalised here). */
  public static SearchResult nearest(SearchBackend backend, float[] query, SearchRequest request)
      throws IOException, DataFormatException {
    long t0 = System.nanoTime();
    return search(backend, normalizedQuery(backend, query), request, t0, t0);
  }

  /** {@code query} normalised, refused unless it has the index's dimension. */
  static float[] normalizedQuery(SearchBackend backend, float[] query) throws DataFormatException {
    int dimension = backend.metadata().dimension();
    if (query.length != dimension) {
      throw new DataFormatException("query vector of " + query.length + " values; the index holds " + dimension
          + "-dimensional embeddings");
    }
    return Vectors.normalized(query);
  }

  /** The nearest documents to the indexed image {@code idOrKey} (its id, or its key as listed), itself first. */
  public static SearchResult similar(SearchBackend backend, String idOrKey, SearchRequest request)
      throws IOException, NoSuchImageException {
    long t0 = System.nanoTime();
    return search(backend, record(backend, idOrKey).embedding(), request, t0, t0);
  }

  /** The record of an id, or of the document keyed {@code idOrKey}. */
  public static ImageRecord record(SearchBackend backend, String idOrKey) throws IOException, NoSuchImageException {
    Optional<ImageRecord> r = backend.record(idOrKey);
    if (r.isEmpty()) {
      r = backend.record(ImageRecord.idOf(idOrKey));
    }
    return r.orElseThrow(() -> new NoSuchImageException("no indexed image with id or key " + idOrKey));
  }

  /** Hits for a normalised query; encoding took {@code t0} to {@code t1}. */
  static SearchResult search(SearchBackend backend, float[] q, SearchRequest request, long t0, long t1) throws IOException {
    int documents = backend.size();
    // no search returns more than the index holds; a larger k would only size the result heaps (k = 2^31 - 1: OOM)
    int k = Math.min(request.k(), Math.max(1, documents));
    List<SearchHit> hits = backend.nearest(q, k, request.filter(), request.exact(), request.ef());
    long without = request.filter().geo() == null ? 0 : backend.withoutFootprint();
    return new SearchResult(hits, documents, (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6, without);
  }
}

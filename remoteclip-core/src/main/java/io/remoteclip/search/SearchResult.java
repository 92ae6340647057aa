package io.remoteclip.search;

import io.remoteclip.index.SearchHit;
import java.util.List;

/**
 * The answer to one query.
 *
 * @param hits best first; paths relative to the indexed root
 * @param documents documents in the index searched
 * @param encodeMillis time spent embedding the query (0 for similar-to-id)
 * @param searchMillis time spent finding neighbours (and zero-shot labelling them)
 * @param withoutFootprint with a geographic filter, the documents it excluded for having no WGS84 footprint;
 *     0 without one
 */
public record SearchResult(List<SearchHit> hits, int documents, double encodeMillis, double searchMillis,
    long withoutFootprint) {
  public SearchResult {
    hits = List.copyOf(hits);
  }
}

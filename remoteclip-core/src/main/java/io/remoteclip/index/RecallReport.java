package io.remoteclip.index;

import java.util.Locale;

/**
 * Approximate (HNSW) against exact search on the same queries.
 *
 * @param ef HNSW candidate list size used
 * @param recall mean over queries of |HNSW top-k ∩ exact top-k| / k
 * @param minRecall the worst single query
 */
public record RecallReport(int k, int ef, int queries, double recall, double minRecall, double hnswMillisPerQuery,
    double exactMillisPerQuery) {
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "recall@%d %.4f (min %.2f) over %d queries; HNSW (ef %d) %.2f ms/query, exact %.2f ms/query",
        k, recall, minRecall, queries, ef, hnswMillisPerQuery, exactMillisPerQuery);
  }
}

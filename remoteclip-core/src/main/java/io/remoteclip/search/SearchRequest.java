package io.remoteclip.search;

import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.SearchFilter;
import java.util.List;

/**
 * How to search: how many results, which documents may match, exact or approximate, and optionally labels
 * to score each hit against zero-shot.
 *
 * @param k results wanted (positive)
 * @param filter which documents may be returned
 * @param exact brute force over every vector instead of the approximate (HNSW) graph
 * @param ef candidates the approximate search explores (more: better recall, slower)
 * @param zeroShotLabels labels each hit is classified against (none: no zero-shot scores); with {@code template}
 * @param template prompt around each zero-shot label, {@code {}} standing for the label
 */
public record SearchRequest(int k, SearchFilter filter, boolean exact, int ef, List<String> zeroShotLabels, String template) {
  public static final String DEFAULT_TEMPLATE = "a satellite photo of {}.";

  public SearchRequest {
    if (k <= 0) {
      throw new IllegalArgumentException("k=" + k + " (must be positive)");
    }
    if (ef <= 0) {
      throw new IllegalArgumentException("ef=" + ef + " (must be positive)");
    }
    filter = filter == null ? SearchFilter.NONE : filter;
    zeroShotLabels = zeroShotLabels == null ? List.of() : List.copyOf(zeroShotLabels);
    template = template == null ? DEFAULT_TEMPLATE : template;
    if (!template.contains("{}")) {
      throw new IllegalArgumentException("template '" + template + "' has no {} for the label");
    }
  }

  /** The {@code k} nearest, approximate, unfiltered, without zero-shot labels. */
  public static SearchRequest top(int k) {
    return new SearchRequest(k, SearchFilter.NONE, false, ImageIndex.DEFAULT_EF_SEARCH, List.of(), DEFAULT_TEMPLATE);
  }

  public SearchRequest withFilter(SearchFilter f) {
    return new SearchRequest(k, f, exact, ef, zeroShotLabels, template);
  }

  /** Only documents carrying every one of {@code labels}. */
  public SearchRequest withLabels(List<String> labels) {
    return withFilter(SearchFilter.labels(labels));
  }

  public SearchRequest withExact(boolean e) {
    return new SearchRequest(k, filter, e, ef, zeroShotLabels, template);
  }

  public SearchRequest withEf(int n) {
    return new SearchRequest(k, filter, exact, n, zeroShotLabels, template);
  }

  /** Classify each hit against {@code labels} (at least two) with the default prompt. */
  public SearchRequest withZeroShot(List<String> labels) {
    return new SearchRequest(k, filter, exact, ef, labels, template);
  }

  public SearchRequest withTemplate(String t) {
    return new SearchRequest(k, filter, exact, ef, zeroShotLabels, t);
  }
}

package io.remoteclip.index;

import java.util.List;

/**
 * Which documents a search may return, as plain values any backend can translate: every one of {@code labels}
 * must be on the document (exact match). Room is left for more conditions (a geographic footprint test) as
 * further components; {@link #NONE} matches everything.
 */
public record SearchFilter(List<String> labels) {
  public static final SearchFilter NONE = new SearchFilter(List.of());

  public SearchFilter {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /** Documents carrying every one of {@code labels}. */
  public static SearchFilter labels(List<String> labels) {
    return labels == null || labels.isEmpty() ? NONE : new SearchFilter(labels);
  }

  public boolean matchesAll() {
    return labels.isEmpty();
  }
}

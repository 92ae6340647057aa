package io.remoteclip.index;

import java.util.List;

/**
 * Which documents a search may return, as plain values any backend can translate: every one of {@code labels}
 * must be on the document (exact match) and, with {@code geo}, its WGS84 footprint must intersect that area
 * (documents without a footprint are then excluded); {@link #NONE} matches everything.
 */
public record SearchFilter(List<String> labels, GeoArea geo) {
  public static final SearchFilter NONE = new SearchFilter(List.of(), null);

  public SearchFilter {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  public SearchFilter(List<String> labels) {
    this(labels, null);
  }

  /** Documents carrying every one of {@code labels}. */
  public static SearchFilter labels(List<String> labels) {
    return labels == null || labels.isEmpty() ? NONE : new SearchFilter(labels, null);
  }

  /** Also: only documents whose WGS84 footprint intersects {@code area} (none: no geographic condition). */
  public SearchFilter withGeo(GeoArea area) {
    return new SearchFilter(labels, area);
  }

  public boolean matchesAll() {
    return labels.isEmpty() && geo == null;
  }
}

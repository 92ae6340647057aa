package io.remoteclip.parquet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a STAC description of an embeddings table needs to know about its rows, gathered while they are written:
 * per source (scene or image) its rows, WGS84 bounding box (the union of the {@code bbox} covering values the
 * table holds) and acquisition time span, and its STAC provenance.
 */
public final class TableSummary {
  /** The rows of one source. */
  public static final class Source {
    private final String source;
    private final EmbeddingRow.Stac stac;
    private long rows;
    private double[] bbox;
    private Instant first;
    private Instant last;

    private Source(String source, EmbeddingRow.Stac stac) {
      this.source = source;
      this.stac = stac;
    }

    /** The {@code source} column value (path or URI). */
    public String source() {
      return source;
    }

    /** The STAC item, collection and asset the source came from, or null. */
    public EmbeddingRow.Stac stac() {
      return stac;
    }

    public long rows() {
      return rows;
    }

    /** [xmin, ymin, xmax, ymax] in OGC:CRS84 of the georeferenced rows, or null when none is. */
    public double[] bbox() {
      return bbox == null ? null : bbox.clone();
    }

    /** Earliest row timestamp, or null when no row has one. */
    public Instant first() {
      return first;
    }

    /** Latest row timestamp, or null when no row has one. */
    public Instant last() {
      return last;
    }

    private void add(EmbeddingRow row) {
      rows++;
      if (row.footprint().isGeoreferenced()) {
        bbox = Geometries.union(bbox, Geometries.box(Geometries.polygon(row.footprint().lonLatRing())));
      }
      Instant t = row.timestamp();
      if (t != null) {
        first = first == null || t.isBefore(first) ? t : first;
        last = last == null || t.isAfter(last) ? t : last;
      }
    }
  }

  private final Map<String, Source> sources = new LinkedHashMap<>();

  void add(EmbeddingRow row) {
    sources.computeIfAbsent(row.source(), s -> new Source(s, row.stac())).add(row);
  }

  /** The sources in the order their first row was written. */
  public List<Source> sources() {
    return Collections.unmodifiableList(new ArrayList<>(sources.values()));
  }

  public long rows() {
    return sources.values().stream().mapToLong(Source::rows).sum();
  }

  /** The union of the sources' boxes, or null when no row is georeferenced. */
  public double[] bbox() {
    double[] b = null;
    for (Source s : sources.values()) {
      if (s.bbox != null) {
        b = Geometries.union(b, s.bbox);
      }
    }
    return b;
  }
}

package io.remoteclip.solr;

import io.remoteclip.index.GeoFootprint;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * One image as a Solr document: the field layout of the configset's {@code schema.xml} lives here.
 *
 * @param id SHA-256 of the image bytes (hex): the same image sent twice is one document
 * @param path the image's path relative to the indexed root (or its name in an archive)
 * @param nativeFootprint the image's bounds in its own CRS (as the embedded index stores them), or null
 * @param bounds the footprint in WGS84 {@code minLon, minLat, maxLon, maxLat}, what geographic filters test;
 *     null when not georeferenced (or not reprojectable)
 * @param embedding L2-normalised
 * @param root the folder {@code path} is relative to on the machine that indexed it (for thumbnails served
 *     there; never sent to HTTP clients), or null
 */
public record ImageDocument(String id, String path, List<String> labels, String modelId, int width, int height,
    long bytes, GeoFootprint nativeFootprint, double[] bounds, float[] embedding, String root) {
  static final String ID = "id";
  static final String PATH = "path";
  static final String LABELS = "labels";
  static final String MODEL = "model_id";
  static final String WIDTH = "width";
  static final String HEIGHT = "height";
  static final String BYTES = "bytes";
  static final String INDEXED_AT = "indexed_at";
  static final String CRS = "crs";
  static final String EPSG = "epsg";
  static final String NATIVE_BOUNDS = "native_bounds";
  static final String BOUNDS = "bounds";
  static final String FOOTPRINT = "footprint";
  static final String HAS_FOOTPRINT = "has_footprint";
  static final String EMBEDDING = "embedding";
  static final String ROOT = "root";

  public ImageDocument {
    labels = List.copyOf(labels);
    if (bounds != null && bounds.length != 4) {
      throw new IllegalArgumentException("bounds need 4 numbers (minLon, minLat, maxLon, maxLat), got " + bounds.length);
    }
  }

  SolrInputDocument toSolr(Date indexedAt) {
    SolrInputDocument d = new SolrInputDocument();
    d.addField(ID, id);
    d.addField(PATH, path);
    for (String l : labels) {
      d.addField(LABELS, l);
    }
    d.addField(MODEL, modelId);
    d.addField(WIDTH, width);
    d.addField(HEIGHT, height);
    d.addField(BYTES, bytes);
    d.addField(INDEXED_AT, indexedAt);
    d.addField(HAS_FOOTPRINT, bounds != null);
    if (root != null) {
      d.addField(ROOT, root);
    }
    if (nativeFootprint != null) {
      d.addField(CRS, nativeFootprint.crs());
      d.addField(EPSG, nativeFootprint.epsg());
      d.addField(NATIVE_BOUNDS, join(new double[] {nativeFootprint.minX(), nativeFootprint.minY(), nativeFootprint.maxX(),
          nativeFootprint.maxY()}));
    }
    if (bounds != null) {
      d.addField(BOUNDS, join(bounds));
      d.addField(FOOTPRINT, envelope(bounds));
    }
    List<Float> v = new ArrayList<>(embedding.length);
    for (float f : embedding) {
      v.add(f);
    }
    d.addField(EMBEDDING, v);
    return d;
  }

  private static String join(double[] b) {
    return b[0] + "," + b[1] + "," + b[2] + "," + b[3];
  }

  private static double[] split(Object joined) {
    if (joined == null) {
      return null;
    }
    String[] parts = joined.toString().split(",");
    return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
        Double.parseDouble(parts[3])};
  }

  /** Solr's spatial syntax for a box: {@code ENVELOPE(minX, maxX, maxY, minY)}. */
  static String envelope(double[] b) {
    return String.format(Locale.ROOT, "ENVELOPE(%s, %s, %s, %s)", b[0], b[2], b[3], b[1]);
  }

  static ImageDocument fromSolr(SolrDocument d) {
    List<String> labels = new ArrayList<>();
    if (d.getFieldValues(LABELS) != null) {
      d.getFieldValues(LABELS).forEach(o -> labels.add(o.toString()));
    }
    double[] bounds = split(d.getFirstValue(BOUNDS));
    double[] nat = split(d.getFirstValue(NATIVE_BOUNDS));
    GeoFootprint fp = nat == null || d.getFirstValue(EPSG) == null ? null
        : new GeoFootprint(((Number) d.getFirstValue(EPSG)).intValue(), nat[0], nat[1], nat[2], nat[3]);
    float[] embedding = null;
    if (d.getFieldValues(EMBEDDING) != null) {
      var values = d.getFieldValues(EMBEDDING);
      embedding = new float[values.size()];
      int i = 0;
      for (Object o : values) {
        embedding[i++] = ((Number) o).floatValue();
      }
    }
    return new ImageDocument((String) d.getFirstValue(ID), (String) d.getFirstValue(PATH), labels,
        (String) d.getFirstValue(MODEL), num(d, WIDTH), num(d, HEIGHT), d.getFirstValue(BYTES) == null ? 0
        : ((Number) d.getFirstValue(BYTES)).longValue(), fp, bounds, embedding, (String) d.getFirstValue(ROOT));
  }

  private static int num(SolrDocument d, String f) {
    Object o = d.getFirstValue(f);
    return o == null ? 0 : ((Number) o).intValue();
  }
}

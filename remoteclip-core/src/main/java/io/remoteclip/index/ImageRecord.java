package io.remoteclip.index;

import io.remoteclip.vector.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LatLonShape;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * One indexed image: the Lucene document layout lives here and nowhere else.
 *
 * <p>Fields: {@code id} (16 hex digits of SHA-256 of the path: stable, safe to put in URLs), {@code path}
 * (the document key: the path relative to the indexed root with '/' separators, or any name a library caller
 * chose, such as an archive entry or a content hash; never an absolute server path), {@code embedding} (L2-normalised, HNSW with DOT_PRODUCT = cosine),
 * {@code model}, {@code width}/{@code height} (pixels), {@code bytes}/{@code mtime} (file size and
 * modification time in ms, the fast "unchanged" test; 0 when unknown), {@code sha256} (of the file bytes, the
 * slow test when size or time changed; may be null), {@code label} (zero or more, exact-match filterable), and for GeoTIFFs {@code crs}
 * and {@code bbox} (minX, minY, maxX, maxY).
 */
public record ImageRecord(String path, String model, int width, int height, long bytes, long mtime, String sha256,
    List<String> labels, GeoFootprint footprint, float[] embedding) {
  public static final String ID = "id";
  public static final String PATH = "path";
  public static final String EMBEDDING = "embedding";
  public static final String LABEL = "label";
  static final String MODEL = "model";
  static final String WIDTH = "width";
  static final String HEIGHT = "height";
  static final String BYTES = "bytes";
  static final String MTIME = "mtime";
  static final String SHA256 = "sha256";
  static final String CRS = "crs";
  static final String EPSG = "epsg";
  static final String BBOX = "bbox";
  /** WGS84 bounds (stored) and the same box as a LatLonShape (indexed) that geographic filters test. */
  static final String LONLAT = "lonlat";
  static final String GEO = "geo";
  static final String HAS_GEO = "has_geo";

  public ImageRecord {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("an indexed image needs a key (relative path or name)");
    }
    labels = List.copyOf(labels);
  }

  /**
   * A record of an embedding computed elsewhere: {@code key} names the image (a relative path, an archive
   * entry, a content hash); size, time and checksum are unknown (0/null).
   */
  public static ImageRecord of(String key, String model, float[] embedding, List<String> labels) {
    return new ImageRecord(key, model, 0, 0, 0, 0, null, labels, null, embedding);
  }

  /** The document id of a path: the first 16 hex digits of the SHA-256 of its UTF-8 bytes. */
  public static String idOf(String path) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String id() {
    return idOf(path);
  }

  Document toDocument() {
    Document d = new Document();
    d.add(new StringField(ID, id(), Field.Store.YES));
    d.add(new StringField(PATH, path, Field.Store.YES));
    d.add(new KnnFloatVectorField(EMBEDDING, Vectors.normalized(embedding), VectorSimilarityFunction.DOT_PRODUCT));
    d.add(new StoredField(MODEL, model));
    d.add(new StoredField(WIDTH, width));
    d.add(new StoredField(HEIGHT, height));
    d.add(new StoredField(BYTES, bytes));
    d.add(new StoredField(MTIME, mtime));
    if (sha256 != null) {
      d.add(new StoredField(SHA256, sha256));
    }
    for (String l : labels) {
      d.add(new StringField(LABEL, l, Field.Store.YES));
    }
    if (footprint != null) {
      d.add(new StoredField(CRS, footprint.crs()));
      d.add(new StoredField(EPSG, footprint.epsg()));
      d.add(new StoredField(BBOX, footprint.minX()));
      d.add(new StoredField(BBOX, footprint.minY()));
      d.add(new StoredField(BBOX, footprint.maxX()));
      d.add(new StoredField(BBOX, footprint.maxY()));
      double[] ll = footprint.lonLat();
      if (ll != null) {
        for (double v : ll) {
          d.add(new StoredField(LONLAT, v));
        }
        for (Field f : LatLonShape.createIndexableFields(GEO, GeoArea.box(ll[0], ll[1], ll[2], ll[3]).polygon())) {
          d.add(f);
        }
        d.add(new StringField(HAS_GEO, "1", Field.Store.NO));
      }
    }
    return d;
  }

  /** The stored fields of a document; {@code embedding} is given separately (vectors are not stored fields). */
  static ImageRecord fromDocument(Document d, float[] embedding) {
    List<String> labels = new ArrayList<>();
    for (IndexableField f : d.getFields(LABEL)) {
      labels.add(f.stringValue());
    }
    GeoFootprint fp = null;
    IndexableField[] box = d.getFields(BBOX);
    if (box.length == 4) {
      IndexableField[] ll = d.getFields(LONLAT);
      double[] lonLat = ll.length != 4 ? null : new double[] {ll[0].numericValue().doubleValue(),
          ll[1].numericValue().doubleValue(), ll[2].numericValue().doubleValue(), ll[3].numericValue().doubleValue()};
      fp = new GeoFootprint(d.getField(EPSG).numericValue().intValue(), box[0].numericValue().doubleValue(),
          box[1].numericValue().doubleValue(), box[2].numericValue().doubleValue(), box[3].numericValue().doubleValue(),
          lonLat);
    }
    return new ImageRecord(d.get(PATH), d.get(MODEL), num(d, WIDTH).intValue(), num(d, HEIGHT).intValue(),
        num(d, BYTES).longValue(), num(d, MTIME).longValue(), d.get(SHA256), labels, fp, embedding);
  }

  private static Number num(Document d, String field) {
    IndexableField f = d.getField(field);
    return f == null ? 0 : f.numericValue();
  }

  ImageRecord withFile(long newBytes, long newMtime, List<String> newLabels, GeoFootprint newFootprint) {
    return new ImageRecord(path, model, width, height, newBytes, newMtime, sha256, newLabels, newFootprint, embedding);
  }
}

package io.remoteclip.solr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * k-NN search over a remoteclip collection with Solr's {@code {!knn}} parser. Label and geographic filters
 * are {@code fq}s, which Solr applies before the vector search (pre-filtering), so {@code k} hits come back
 * whenever {@code k} documents match the filters.
 */
public final class SolrSearcher {
  /** A hit: the stored document (without its vector) and its cosine similarity to the query. */
  public record Hit(ImageDocument document, double score) {}

  /** The hits and, for a geographic filter, how many documents it excluded for having no footprint. */
  public record Result(List<Hit> hits, long withoutFootprint) {}

  private static final String FIELDS = String.join(",", ImageDocument.ID, ImageDocument.PATH, ImageDocument.LABELS,
      ImageDocument.MODEL, ImageDocument.WIDTH, ImageDocument.HEIGHT, ImageDocument.BYTES, ImageDocument.CRS,
      ImageDocument.EPSG, ImageDocument.NATIVE_BOUNDS, ImageDocument.BOUNDS, "score");

  private final SolrClient client;
  private final String collection;

  public SolrSearcher(SolrClient client, String collection) {
    this.client = client;
    this.collection = collection;
  }

  /**
   * The {@code k} nearest documents to {@code vector} (L2-normalised) that carry every one of {@code labels}
   * and, with {@code geoWkt} (WGS84 WKT or {@code ENVELOPE(minLon, maxLon, maxLat, minLat)}), whose footprint
   * intersects it. {@code exact}: score every matching document (a function query) instead of the HNSW graph.
   */
  public Result nearest(float[] vector, int k, List<String> labels, String geoWkt, boolean exact)
      throws SolrBackendException, IOException {
    return nearest(vector, k, labels, geoWkt, exact, k);
  }

  /**
   * As {@link #nearest(float[], int, List, String, boolean)}, the HNSW search exploring {@code max(k, ef)}
   * candidates per shard (as the embedded index does) and returning the best {@code k}.
   */
  public Result nearest(float[] vector, int k, List<String> labels, String geoWkt, boolean exact, int ef)
      throws SolrBackendException, IOException {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1 (got " + k + ")");
    }
    String literal = vectorLiteral(vector);
    SolrQuery q = new SolrQuery(exact
        ? "{!func}vectorSimilarity(FLOAT32, DOT_PRODUCT, " + ImageDocument.EMBEDDING + ", " + literal + ")"
        : "{!knn f=" + ImageDocument.EMBEDDING + " topK=" + Math.max(k, ef) + "}" + literal);
    q.setRows(k);
    q.setFields(FIELDS);
    for (String fq : filters(labels, geoWkt)) {
      q.addFilterQuery(fq);
    }
    List<Hit> hits = new ArrayList<>();
    for (SolrDocument d : query(q).getResults()) {
      hits.add(new Hit(ImageDocument.fromSolr(d), cosine(((Number) d.getFieldValue("score")).doubleValue())));
    }
    // Solr returns the best k over all shards, but ties between shards may come in any order.
    hits.sort((a, b) -> Double.compare(b.score(), a.score()));
    long without = geoWkt == null ? 0 : count(ImageDocument.HAS_FOOTPRINT + ":false");
    return new Result(hits.subList(0, Math.min(k, hits.size())), without);
  }

  /** The stored document with its embedding, or null. */
  public ImageDocument get(String id) throws SolrBackendException, IOException {
    try {
      SolrDocument d = client.getById(collection, id, new ModifiableSolrParams().set("fl", FIELDS.replace(",score", "")
          + "," + ImageDocument.EMBEDDING));
      return d == null ? null : ImageDocument.fromSolr(d);
    } catch (SolrServerException | SolrException e) {
      throw new SolrBackendException("collection " + collection + ": get " + id + " failed: "
          + SolrIngester.rootMessage(e), e);
    }
  }

  /** The folder the document keyed {@code path} was indexed from, or null. */
  public String rootOf(String path) throws SolrBackendException, IOException {
    SolrQuery q = new SolrQuery("*:*").addFilterQuery(ImageDocument.PATH + ":" + quoted(path)).setRows(1)
        .setFields(ImageDocument.ROOT);
    var docs = query(q).getResults();
    return docs.isEmpty() ? null : (String) docs.get(0).getFirstValue(ImageDocument.ROOT);
  }

  /** Number of documents matching a Lucene-syntax query ({@code *:*}: all). */
  public long count(String query) throws SolrBackendException, IOException {
    return query(new SolrQuery(query).setRows(0)).getResults().getNumFound();
  }

  /** Lucene scores a dot-product match as {@code (1 + cos) / 2}; hits report the cosine, as the embedded index. */
  static double cosine(double luceneScore) {
    return 2 * luceneScore - 1;
  }

  static List<String> filters(List<String> labels, String geoWkt) {
    List<String> fqs = new ArrayList<>();
    for (String l : labels == null ? List.<String>of() : labels) {
      fqs.add(ImageDocument.LABELS + ":" + quoted(l));
    }
    if (geoWkt != null) {
      fqs.add("{!field f=" + ImageDocument.FOOTPRINT + "}Intersects(" + geoWkt + ")");
    }
    return fqs;
  }

  static String vectorLiteral(float[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", v[i]));
    }
    return sb.append(']').toString();
  }

  private static String quoted(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private QueryResponse query(SolrQuery q) throws SolrBackendException, IOException {
    try {
      return client.query(collection, q);
    } catch (SolrServerException | SolrException e) {
      throw new SolrBackendException("collection " + collection + ": search failed: " + SolrIngester.rootMessage(e), e);
    }
  }
}

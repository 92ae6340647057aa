package io.remoteclip.solr;

import io.remoteclip.RemoteClipException;
import io.remoteclip.index.GeoFootprint;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.index.SearchFilter;
import io.remoteclip.index.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;

/**
 * A SolrCloud collection behind the search service's seam: the same queries, filters and JSON as the
 * embedded index, answered by a sharded, replicated cluster. Document ids are content hashes; hits carry
 * the path they were indexed under. Thread-safe (SolrJ's cloud client is).
 */
public final class SolrSearchBackend implements SearchBackend {
  private final CloudSolrClient client;
  private final SolrTarget target;
  private final SolrSearcher searcher;
  private final IndexMetadata metadata;

  private SolrSearchBackend(CloudSolrClient client, SolrTarget target, IndexMetadata metadata) {
    this.client = client;
    this.target = target;
    this.searcher = new SolrSearcher(client, target.collection());
    this.metadata = metadata;
  }

  /** Connects and reads the collection's model identity; refuses a collection remoteclip did not create. */
  public static SolrSearchBackend open(SolrTarget target) throws IOException, RemoteClipException {
    CloudSolrClient client = target.open();
    try {
      SolrCollections.CollectionInfo info = SolrCollections.describe(client, target.collection());
      return new SolrSearchBackend(client, target, info.metadata());
    } catch (SolrServerException | RuntimeException e) {
      client.close();
      throw SolrCollections.unreachable(target, e);
    } catch (IOException | RemoteClipException e) {
      client.close();
      throw e;
    }
  }

  /** The connection, for ingest into the same collection. */
  public CloudSolrClient client() {
    return client;
  }

  public SolrTarget target() {
    return target;
  }

  @Override
  public IndexMetadata metadata() {
    return metadata;
  }

  @Override
  public int size() {
    try {
      return Math.toIntExact(searcher.count("*:*"));
    } catch (IOException | SolrBackendException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public List<SearchHit> nearest(float[] query, int k, SearchFilter filter, boolean exact, int ef) throws IOException {
    try {
      SolrSearcher.Result r = searcher.nearest(query, k, filter.labels(), filter.geo() == null ? null : filter.geo().wkt(),
          exact, ef);
      List<SearchHit> hits = new ArrayList<>(r.hits().size());
      for (SolrSearcher.Hit h : r.hits()) {
        ImageDocument d = h.document();
        hits.add(new SearchHit(d.id(), d.path(), h.score(), d.labels(), d.width(), d.height(), footprint(d), List.of()));
      }
      return hits;
    } catch (SolrBackendException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public long withoutFootprint() throws IOException {
    try {
      return searcher.count(ImageDocument.HAS_FOOTPRINT + ":false");
    } catch (SolrBackendException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public Optional<ImageRecord> record(String id) throws IOException {
    try {
      ImageDocument d = searcher.get(id);
      return d == null ? Optional.empty() : Optional.of(new ImageRecord(d.path(), d.modelId(), d.width(), d.height(),
          d.bytes(), 0, d.id(), d.labels(), footprint(d), d.embedding()));
    } catch (SolrBackendException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * The local file of a document key, when this machine indexed it: the folder it was indexed from is stored
   * with each document (for thumbnails; it never leaves the server).
   */
  @Override
  public Optional<Path> file(String key) {
    try {
      String root = searcher.rootOf(key);
      if (root == null) {
        return Optional.empty();
      }
      Path base = Path.of(root);
      Path file = base.resolve(key).normalize();
      return file.startsWith(base) && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    } catch (IOException | SolrBackendException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The footprint in the CRS it was indexed in (what the embedded index reports too). */
  static GeoFootprint footprint(ImageDocument d) {
    return d.nativeFootprint();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}

package io.remoteclip.solr;

import io.remoteclip.RemoteClipException;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.ModelMismatchException;
import java.io.IOException;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.response.CollectionAdminResponse;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;

/**
 * Creating a remoteclip collection and telling which model its vectors come from. The model identity and
 * dimension are user properties of the collection's own configset ({@code remoteclip.model},
 * {@code remoteclip.dimension} in its config overlay), so every client refuses to mix models as the embedded
 * index does.
 */
public final class SolrCollections {
  static final String MODEL_PROPERTY = "remoteclip.model";
  static final String DIMENSION_PROPERTY = "remoteclip.dimension";

  private SolrCollections() {}

  static final String MODEL_REF_PROPERTY = "remoteclip.model.ref";
  static final String VOCAB_PROPERTY = "remoteclip.model.vocab";

  /** What a collection says about itself. */
  public record CollectionInfo(String name, String modelId, int dimension, String modelRef, String vocab, int shards,
      int replicas) {
    /** As the search service sees any index: the model identity and how to load the model again; no root. */
    public IndexMetadata metadata() {
      return IndexMetadata.of(modelId, dimension).withModelRef(modelRef, vocab);
    }
  }

  /**
   * Uploads the configset for {@code dimension} (named {@code remoteclip-<collection>}) and creates the
   * collection with its model properties; refuses an existing collection of the same name.
   */
  public static CollectionInfo create(SolrClient client, String collection, Configset configset, IndexMetadata model,
      int shards, int replicas) throws IOException, SolrServerException, SolrBackendException {
    if (shards < 1 || replicas < 1) {
      throw new IllegalArgumentException("shards and replicas must be at least 1 (got " + shards + " and " + replicas + ")");
    }
    if (CollectionAdminRequest.listCollections(client).contains(collection)) {
      throw new SolrBackendException("collection " + collection + " already exists");
    }
    String config = "remoteclip-" + collection;
    new ConfigSetAdminRequest.Upload().setConfigSetName(config).setOverwrite(true)
        .setUploadStream(new ContentStreamBase.ByteArrayStream(configset.zip(model), config + ".zip", "application/zip"))
        .process(client);
    CollectionAdminRequest.createCollection(collection, config, shards, replicas).process(client);
    return new CollectionInfo(collection, model.modelId(), configset.dimension(), model.modelRef(), model.vocab(), shards,
        replicas);
  }

  /** The collection's model properties, or an exception naming what is missing. */
  public static CollectionInfo describe(SolrClient client, String collection)
      throws IOException, SolrServerException, SolrBackendException {
    if (!CollectionAdminRequest.listCollections(client).contains(collection)) {
      throw new CollectionNotFoundException(collection);
    }
    CollectionAdminResponse status = CollectionAdminRequest.getClusterStatus().setCollectionName(collection).process(client);
    Map<String, Object> col = asMap(asMap(asMap(status.getResponse().get("cluster")).get("collections")).get(collection));
    var overlay = new GenericSolrRequest(SolrRequest.METHOD.GET, "/config/overlay").process(client, collection);
    Map<String, Object> props = asMap(asMap(overlay.getResponse().get("overlay")).get("userProps"));
    Object model = props.get(MODEL_PROPERTY);
    Object dim = props.get(DIMENSION_PROPERTY);
    if (model == null || dim == null) {
      throw new SolrBackendException("collection " + collection + " was not created by remoteclip (it has no "
          + MODEL_PROPERTY + " property)");
    }
    int nShards = asMap(col.get("shards")).size();
    Object rf = col.get("replicationFactor");
    Object ref = props.get(MODEL_REF_PROPERTY);
    Object vocab = props.get(VOCAB_PROPERTY);
    return new CollectionInfo(collection, model.toString(), Integer.parseInt(dim.toString()),
        ref == null ? null : ref.toString(), vocab == null ? null : vocab.toString(), nShards,
        rf == null ? 0 : Integer.parseInt(rf.toString()));
  }

  /** Refuses vectors of another model (or dimension) than the collection holds. */
  public static CollectionInfo requireModel(SolrClient client, String collection, String modelId, int dimension)
      throws IOException, SolrServerException, RemoteClipException {
    CollectionInfo info = describe(client, collection);
    if (!info.modelId().equals(modelId)) {
      throw new ModelMismatchException("collection " + collection + " holds embeddings of " + info.modelId()
          + "; embeddings of " + modelId + " cannot be mixed into it");
    }
    if (info.dimension() != dimension) {
      throw new ModelMismatchException("collection " + collection + " holds " + info.dimension()
          + "-dimensional vectors, not " + dimension);
    }
    return info;
  }

  /** A connection failure as a user-facing error naming the cluster. */
  public static SolrUnreachableException unreachable(SolrTarget target, Exception e) {
    String why = SolrIngester.rootMessage(e);
    // SolrJ reports a refused login (401) while discovering the cluster as "Failed fetching live_nodes".
    String hint = why.contains("live_nodes") ? " (the nodes are down, not Solr, or want credentials"
        + (target.user() == null ? ", and none were given)" : " other than those given)") : "";
    return new SolrUnreachableException("SolrCloud at " + String.join(",", target.urls()) + ": "
        + why.replace(" If you think your Solr cluster is up and is accessible, you could try re-creating a new "
        + "CloudSolrClient using working solr URLs.", "") + hint, e);
  }

  /** Solr answers with NamedLists or Maps depending on the response writer; read both the same way. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    if (o instanceof NamedList<?> n) {
      return ((NamedList<Object>) n).asShallowMap();
    }
    return Map.of();
  }

  /** The named collection does not exist. */
  public static final class CollectionNotFoundException extends SolrBackendException {
    public CollectionNotFoundException(String collection) {
      super("collection " + collection + " does not exist");
    }
  }
}

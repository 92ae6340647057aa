package io.remoteclip.solr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;

/**
 * Where a collection lives and how to reach it: one or more Solr node URLs ({@code http://host:8983/solr};
 * the client learns the rest of the cluster from them), optional basic-auth credentials, and timeouts.
 */
public record SolrTarget(List<String> urls, String collection, String user, String password, Duration connectTimeout,
    Duration requestTimeout) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  public SolrTarget {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Solr URL given");
    }
    for (String u : urls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new IllegalArgumentException("Solr URL " + u + " must start with http:// or https:// (e.g. http://localhost:8983/solr)");
      }
    }
    Objects.requireNonNull(collection, "collection");
    if (!collection.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("collection name \"" + collection + "\": use letters, digits, '.', '_' and '-'");
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("basic auth needs both a user and a password");
    }
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
  }

  public static SolrTarget of(String url, String collection) {
    return new SolrTarget(List.of(url.split(",")), collection, null, null, null, null);
  }

  public SolrTarget withCredentials(String u, String p) {
    return new SolrTarget(urls, collection, u, p, connectTimeout, requestTimeout);
  }

  public SolrTarget withTimeouts(Duration connect, Duration request) {
    return new SolrTarget(urls, collection, user, password, connect, request);
  }

  /** A ZooKeeper-free cloud client (it reads cluster state from the nodes' HTTP API). Close it. */
  public CloudSolrClient open() {
    Http2SolrClient.Builder http = new Http2SolrClient.Builder()
        .withConnectionTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .withIdleTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .withRequestTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    if (user != null) {
      http.withBasicAuthCredentials(user, password);
    }
    return new CloudHttp2SolrClient.Builder(urls).withInternalClientBuilder(http).withDefaultCollection(collection).build();
  }
}

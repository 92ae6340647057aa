package io.remoteclip.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.index.IndexMetadata;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code solr dev-cluster --dir DIR} stopped cleanly starts again on its own data, collections and documents included. */
class DevClusterRestartTest {
  private static final String MODEL = "test-model@sha256:0123";
  @TempDir Path tmp;

  @Test
  void aStoppedClusterRestartsWithItsCollectionAndDocuments() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // the same port again: replicas are registered under their node's address
    }
    Path dir = tmp.resolve("cluster");
    try (DevCluster cluster = DevCluster.start(dir, 1, port);
        CloudSolrClient client = SolrTarget.of(cluster.url(), "tiles").open()) {
      SolrCollections.create(client, "tiles", Configset.forDimension(2), IndexMetadata.of(MODEL, 2), 1, 1);
      try (SolrIngester in = new SolrIngester(client, "tiles", SolrIngester.Options.defaults())) {
        for (int i = 0; i < 3; i++) {
          in.add(new ImageDocument(String.format("%064x", i + 1), i + ".png", List.of(), MODEL, 1, 1, 1000 + i, null,
              null, new float[] {1, 0}, null));
        }
      }
    }
    try (DevCluster cluster = DevCluster.start(dir, 1, port);
        CloudSolrClient client = SolrTarget.of(cluster.url(), "tiles").open()) {
      cluster.waitForActive("tiles", 1, 1);
      assertEquals(MODEL, SolrCollections.describe(client, "tiles").modelId());
      assertEquals(3, new SolrSearcher(client, "tiles").count("*:*"));
    }
  }
}

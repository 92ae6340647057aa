package io.remoteclip.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.index.IndexMetadata;
import java.nio.file.Path;
import java.util.List;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.security.Sha256AuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster with basic auth: the client's credentials let it in, their absence is a clear error. */
class SolrBasicAuthTest {
  @TempDir Path tmp;

  @Test
  void credentialsAreSentAndRequired() throws Exception {
    String security = "{\"authentication\": {\"class\": \"solr.BasicAuthPlugin\", \"blockUnknown\": true,"
        + " \"credentials\": {\"indexer\": \"" + Sha256AuthenticationProvider.getSaltedHashedValue("s3cret-pw") + "\"}},"
        + " \"authorization\": {\"class\": \"solr.RuleBasedAuthorizationPlugin\","
        + " \"permissions\": [{\"name\": \"all\", \"role\": \"admin\"}], \"user-role\": {\"indexer\": \"admin\"}}}";
    try (DevCluster cluster = DevCluster.start(tmp.resolve("c"), 1, 0, security)) {
      SolrTarget anonymous = SolrTarget.of(cluster.url(), "secured");
      SolrTarget withCredentials = anonymous.withCredentials("indexer", "s3cret-pw");
      try (CloudSolrClient client = withCredentials.open()) {
        SolrCollections.create(client, "secured", Configset.forDimension(4), IndexMetadata.of("m", 4), 1, 1);
        SolrIngester in = new SolrIngester(client, "secured", SolrIngester.Options.defaults());
        in.add(new ImageDocument("ab".repeat(32), "a.png", List.of(), "m", 1, 1, 1, null, null,
            new float[] {1, 0, 0, 0}, null));
        in.close();
      }
      try (SolrSearchBackend backend = SolrSearchBackend.open(withCredentials)) {
        assertEquals(1, backend.size());
      }
      SolrUnreachableException refused = assertThrows(SolrUnreachableException.class, () -> SolrSearchBackend.open(anonymous));
      assertTrue(refused.getMessage().contains("want credentials, and none were given"), refused.getMessage());
      assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
    }
  }
}

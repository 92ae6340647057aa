package io.remoteclip.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real SolrCloud on this machine: an embedded ZooKeeper and {@code nodes} Solr nodes on consecutive ports
 * from {@code port} (0: any free ports), data under {@code dir}. It is Solr's own test cluster
 * ({@link MiniSolrCloudCluster}), the one the tests run against; for trying things, not for production. A cluster
 * stopped cleanly starts again on its own {@code dir} (same ports: the collections' replicas are bound to them).
 */
public final class DevCluster implements AutoCloseable {
  private final MiniSolrCloudCluster cluster;
  private final java.util.Map<Integer, JettySolrRunner> stopped = new java.util.HashMap<>();

  private DevCluster(MiniSolrCloudCluster cluster) {
    this.cluster = cluster;
  }

  public static DevCluster start(Path dir, int nodes, int port) throws Exception {
    return start(dir, nodes, port, null);
  }

  /** As {@link #start(Path, int, int)}, secured by {@code securityJson} (Solr's security.json; null: open). */
  public static DevCluster start(Path dir, int nodes, int port, String securityJson) throws Exception {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node (got " + nodes + ")");
    }
    if (port < 0 || port + nodes - 1 > 65535) {
      throw new IllegalArgumentException("ports " + port + ".." + (port + nodes - 1) + " are not all valid");
    }
    // Solr's test cluster logs its own "missing solr.log.dir" complaint otherwise.
    System.setProperty("solr.log.dir", dir.resolve("logs").toString());
    // A restart keeps what an earlier run left: the builder would wipe ZooKeeper's tree (collections, configsets)
    // and, creating each node's folder with createDirectory, refuse the folders that hold the cores, so the nodes
    // are started here.
    boolean earlierRun = Files.isDirectory(dir.resolve("zookeeper/server1/data/version-2"));
    MiniSolrCloudCluster.Builder builder = new MiniSolrCloudCluster.Builder(0, dir).formatZkServer(!earlierRun);
    if (securityJson != null) {
      builder.withSecurityJson(securityJson);
    }
    MiniSolrCloudCluster cluster = builder.build();
    try {
      for (int i = 0; i < nodes; i++) {
        Path home = Files.createDirectories(dir.resolve("node" + (i + 1)));
        Properties props = new Properties();
        props.setProperty("zkHost", cluster.getZkServer().getZkAddress());
        cluster.startJettySolrRunner(new JettySolrRunner(home.toString(), props,
            JettyConfig.builder().setContext("/solr").setPort(port == 0 ? 0 : port + i).build()));
      }
      for (JettySolrRunner node : cluster.getJettySolrRunners()) {
        cluster.waitForNode(node, 60);
      }
    } catch (Exception e) {
      cluster.shutdown();
      throw e;
    }
    return new DevCluster(cluster);
  }

  /** The first node's URL ({@code http://127.0.0.1:PORT/solr}): give it to {@code --solr}. */
  public String url() {
    return cluster.getJettySolrRunner(0).getBaseUrl().toString();
  }

  public List<String> urls() {
    return cluster.getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).toList();
  }

  public String zkAddress() {
    return cluster.getZkServer().getZkAddress();
  }

  /** Stops node {@code index} (0-based) as a crash would look to the others; {@link #restartNode} brings it back. */
  public void stopNode(int index) throws Exception {
    JettySolrRunner node = cluster.getJettySolrRunner(index);
    stopped.put(index, node);
    cluster.stopJettySolrRunner(node);
  }

  /** Starts a node stopped by {@link #stopNode} again on its old port, with its data. */
  public void restartNode(int index) throws Exception {
    JettySolrRunner node = stopped.remove(index);
    if (node == null) {
      throw new IllegalStateException("node " + index + " was not stopped");
    }
    cluster.startJettySolrRunner(node, true);
    cluster.waitForNode(node, 60);
  }

  /** Waits until every replica of {@code collection} is active (e.g. after {@link #restartNode}). */
  public void waitForActive(String collection, int shards, int replicas) {
    cluster.waitForActiveCollection(collection, 60, java.util.concurrent.TimeUnit.SECONDS, shards, shards * replicas);
  }

  @Override
  public void close() throws Exception {
    cluster.shutdown();
  }
}

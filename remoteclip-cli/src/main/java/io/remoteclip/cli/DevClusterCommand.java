package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.solr.DevCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a real SolrCloud in the foreground until Ctrl-C / SIGTERM. */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
    description = "Starts a local SolrCloud (embedded ZooKeeper, N Solr nodes on consecutive ports) in the "
        + "foreground, prints its URL, and stops cleanly on Ctrl-C or SIGTERM. For trying remoteclip's Solr "
        + "backend; it is Solr's own test cluster, the one remoteclip's tests use.")
public final class DevClusterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(converter = Ranges.Nodes.class, names = "--nodes", defaultValue = "2",
      description = "Solr nodes (default: ${DEFAULT-VALUE})." + Ranges.Nodes.HELP)
  int nodes;

  @Option(converter = Ranges.Port.class, names = "--port", defaultValue = "8983",
      description = "Port of the first node; the others follow "
      + "(default: ${DEFAULT-VALUE}; 0: any free ports)." + Ranges.Port.HELP)
  int port;

  @Option(names = "--dir", paramLabel = "DIR", description = "Keep the cluster's data here; a later run with the same "
      + "--dir and --port starts on it again (default: a temporary directory removed on exit).")
  Path dir;

  /** Jersey (inside Solr's admin API) warns on java.util.logging about optional providers it does not need. */
  private static final java.util.logging.Logger JERSEY = java.util.logging.Logger.getLogger("org.glassfish");

  @Override
  public Integer call() throws Exception {
    JERSEY.setLevel(java.util.logging.Level.SEVERE);
    boolean temporary = dir == null;
    Path data = temporary ? Files.createTempDirectory("remoteclip-solr-") : Files.createDirectories(dir);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.println("starting SolrCloud: " + nodes + " node(s), data in " + data + " ...");
    err.flush();
    DevCluster cluster = DevCluster.start(data, nodes, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      try {
        cluster.close();
        if (temporary) {
          deleteTree(data);
        }
        err.println("SolrCloud stopped");
        err.flush();
      } catch (Exception e) {
        err.println("remoteclip: stopping SolrCloud: " + e.getMessage());
        err.flush();
      } finally {
        stopped.countDown();
      }
    }, "solr-dev-cluster-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(cluster.url());
    out.flush();
    err.println("SolrCloud is up: " + String.join(" ", cluster.urls()) + " (ZooKeeper " + cluster.zkAddress()
        + "); e.g. remoteclip solr create-collection --solr " + cluster.url() + " --collection tiles; Ctrl-C stops it");
    err.flush();
    stopped.await(); // the shutdown hook releases this; the JVM then exits
    return 0;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

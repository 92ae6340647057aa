package io.remoteclip.spark;

import io.remoteclip.cli.common.Ranges;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a Spark standalone cluster in the foreground until Ctrl-C / SIGTERM (as {@code remoteclip solr dev-cluster}). */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
    description = "Starts a local Spark standalone cluster (a Master and N Workers, each its own JVM on 127.0.0.1) in "
        + "the foreground, prints its master URL, and stops it, executors included, on Ctrl-C or SIGTERM. For trying "
        + "remoteclip-spark on a cluster (--master URL, --ship files); it is the cluster remoteclip's tests use.",
    footer = {"%nExample:",
      "  remoteclip-spark dev-cluster --workers 2 &",
      "  remoteclip-spark embed scenes/ --window 256 --out w.parquet --master spark://127.0.0.1:7077 --ship files"})
final class SparkDevClusterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(converter = Ranges.Nodes.class, names = "--workers", defaultValue = "2", paramLabel = "N",
      description = "Worker JVMs (default: ${DEFAULT-VALUE})." + Ranges.Nodes.HELP)
  int workers;

  @Option(converter = Ranges.ThreadCount.class, names = "--cores", defaultValue = "1", paramLabel = "N",
      description = "Task slots per worker (default: ${DEFAULT-VALUE})." + Ranges.ThreadCount.HELP)
  int cores;

  @Option(names = "--memory", defaultValue = "2g", paramLabel = "SIZE",
      description = "Memory each worker gives its executors, as Spark writes it: 512m, 2g (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(converter = Ranges.Port.class, names = "--port", defaultValue = "7077",
      description = "The master's port (default: ${DEFAULT-VALUE}, its web UI on 8080; 0: any free ports)."
          + Ranges.Port.HELP)
  int port;

  @Option(names = "--dir", paramLabel = "DIR", description = "Logs and executor folders go here (default: a "
      + "temporary directory removed on exit).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (!memory.matches("(?i)[1-9][0-9]*[mgt]")) {
      throw io.remoteclip.cli.common.Usage.error(spec, "--memory " + memory + " (expected a size such as 512m or 2g)");
    }
    boolean temporary = dir == null;
    Path data = temporary ? Files.createTempDirectory("remoteclip-spark-") : Files.createDirectories(dir);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.println("starting Spark: a master and " + workers + " worker(s) of " + cores + " core(s), " + memory
        + "; logs in " + data + " ...");
    err.flush();
    SparkDevCluster cluster = SparkDevCluster.start(data, workers, cores, memory, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.close();
        if (temporary && !org.apache.hadoop.fs.FileUtil.fullyDelete(data.toFile())) {
          err.println("remoteclip-spark: " + data + ": could not remove all of it");
        }
        err.println("Spark cluster stopped");
      } finally {
        err.flush();
        stopped.countDown();
      }
    }, "spark-dev-cluster-command-stop"));
    out.println(cluster.masterUrl());
    out.flush();
    err.println("Spark is up: " + cluster.masterUrl() + "; e.g. remoteclip-spark embed DIR --out t.parquet --master "
        + cluster.masterUrl() + " --ship files; Ctrl-C stops it");
    err.flush();
    stopped.await(); // the shutdown hook releases this; the JVM then exits
    return 0;
  }
}

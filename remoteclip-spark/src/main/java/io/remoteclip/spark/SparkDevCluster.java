package io.remoteclip.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on this machine: a Master and {@code workers} Workers, each a JVM of its own
 * started from this JVM's class path (the Maven test class path in tests; the launcher's jars for {@code
 * remoteclip-spark dev-cluster}), bound to 127.0.0.1. Executors, which the Workers start per application, get
 * the same class path (as {@code SPARK_DIST_CLASSPATH} under a stand-in {@code SPARK_HOME}), so jobs need no
 * {@code --jars}. For trying the cluster code paths (shipping the model, tasks in other JVMs), not for
 * production. Closing stops every process it started, executors included; so does this JVM's exit.
 */
final class SparkDevCluster implements AutoCloseable {
  private static final Pattern MASTER_UP = Pattern.compile("Starting Spark master at (spark://\\S+)");
  private static final Pattern WORKER_UP = Pattern.compile("Successfully registered with master");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  /** What the daemons log: warnings, plus the lines that say they are up. */
  private static final String LOG4J = String.join("\n",
      "rootLogger.level = warn",
      "rootLogger.appenderRef.stderr.ref = console",
      "appender.console.type = Console",
      "appender.console.name = console",
      "appender.console.target = SYSTEM_ERR",
      "appender.console.layout.type = PatternLayout",
      "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n",
      "logger.master.name = org.apache.spark.deploy.master.Master",
      "logger.master.level = info",
      "logger.worker.name = org.apache.spark.deploy.worker.Worker",
      "logger.worker.level = info", "");

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "spark-dev-cluster-stop");
  private String masterUrl;

  private SparkDevCluster(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts the Master on {@code port} (0: any free port) and the Workers ({@code cores} task slots and {@code
   * memory}, e.g. "2g", each), and returns once every Worker has registered. Logs and the Workers' executor
   * folders go under {@code dir}.
   */
  static SparkDevCluster start(Path dir, int workers, int cores, String memory, int port) throws IOException {
    if (workers < 1 || cores < 1) {
      throw new IllegalArgumentException("a cluster needs at least one worker with one core (got " + workers + " x "
          + cores + ")");
    }
    SparkDevCluster c = new SparkDevCluster(dir);
    Runtime.getRuntime().addShutdownHook(c.hook);
    try {
      c.startAll(workers, cores, memory, port);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void startAll(int workers, int cores, String memory, int port) throws IOException {
    Path home = Files.createDirectories(dir.resolve("spark-home"));
    Files.createDirectories(home.resolve("jars")); // the executor launcher insists on it; the class path comes below
    Path conf = Files.createDirectories(home.resolve("conf"));
    Path log4j = Files.writeString(conf.resolve("log4j2.properties"), LOG4J, StandardCharsets.UTF_8);
    Path masterLog = dir.resolve("master.log");
    Process master = launch(masterLog, log4j, home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--webui-port", port == 0 ? "0" : "8080");
    masterUrl = await(master, masterLog, MASTER_UP, "the Spark master").group(1);
    List<Process> started = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      Path work = Files.createDirectories(dir.resolve("worker-" + i));
      started.add(launch(dir.resolve("worker-" + i + ".log"), log4j, home, "org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", String.valueOf(cores), "--memory", memory,
          "--work-dir", work.toString(), masterUrl));
    }
    for (int i = 0; i < started.size(); i++) {
      await(started.get(i), dir.resolve("worker-" + (i + 1) + ".log"), WORKER_UP, "Spark worker " + (i + 1));
    }
  }

  private Process launch(Path log, Path log4j, Path home, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx384m");
    cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
    cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_DIST_CLASSPATH", System.getProperty("java.class.path"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.remove("SPARK_CONF_DIR");
    Process p = pb.start();
    synchronized (processes) {
      processes.add(p);
    }
    return p;
  }

  /** Waits until {@code process} logs a line matching {@code ready}; its log's tail is the error otherwise. */
  private static Matcher await(Process process, Path log, Pattern ready, String what) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
      Matcher m = ready.matcher(text);
      if (m.find()) {
        return m;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(what + (process.isAlive() ? " did not start within " + START_TIMEOUT.toSeconds() + " s"
            : " exited with code " + process.exitValue()) + "; its log " + log + " ends: " + tail(text));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + what, e);
      }
    }
  }

  private static String tail(String text) {
    List<String> lines = text.strip().lines().toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  /** {@code spark://127.0.0.1:PORT}: give it to {@code --master}. */
  String masterUrl() {
    return masterUrl;
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs (or ran) stopAll itself
    }
  }

  /**
   * Workers first (each kills its executors), then the Master, politely, then by force, executors found
   * beforehand included (a killed Worker's executor is no longer its descendant).
   */
  private void stopAll() {
    List<Process> all;
    synchronized (processes) {
      all = new ArrayList<>(processes);
    }
    List<ProcessHandle> descendants = new ArrayList<>();
    for (Process p : all) {
      p.descendants().forEach(descendants::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    for (ProcessHandle h : descendants) {
      h.destroyForcibly();
    }
  }
}

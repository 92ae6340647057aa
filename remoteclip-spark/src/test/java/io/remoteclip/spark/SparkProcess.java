package io.remoteclip.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code remoteclip-spark} in a JVM of its own, as bin/remoteclip-spark starts it (this test JVM's class path and
 * JDK flags): for faults a test JVM must not suffer itself, a SIGKILL or an executor's OutOfMemoryError.
 */
final class SparkProcess {
  private SparkProcess() {}

  /** Starts {@code remoteclip-spark args...} with heap {@code xmx} (e.g. "640m"), stdout and stderr to {@code log}. */
  static Process start(Path log, String xmx, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty") || a.startsWith("-Dai.djl")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dremoteclip.home=" + System.getProperty("remoteclip.home"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SparkMain.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}

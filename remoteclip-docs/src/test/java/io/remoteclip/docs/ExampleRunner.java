package io.remoteclip.docs;

import io.remoteclip.docs.DocExamples.Command;
import io.remoteclip.docs.DocExamples.Example;
import io.remoteclip.docs.DocExamples.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;

/**
 * Runs the examples of one page as a user on a fresh clone types them: each command through {@code bash -c}
 * (stdout and stderr merged), blocks in page order, in one fresh working directory per page where the
 * repository's {@code bin}, {@code examples}, {@code models} and {@code remoteclip-*} module folders are
 * symbolic links, with {@code REMOTECLIP_HOME} an empty directory of its own, {@code REMOTECLIP_MODEL}
 * unset and DJL offline. Files an example writes stay in the page's directory, so a later block sees them
 * (shell variables and {@code cd} do not carry from one command to the next). With the shared data
 * ({@code ../shared} of the checkout), {@code ../shared} of the page's directory links to it, as the pages
 * write it, and the {@code needs shared} blocks run too.
 */
final class ExampleRunner {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(Long.getLong("remoteclip.docs.timeout", 600));

  private final Path repo;
  private final Path work;
  private final Path home;
  private final Path output;
  private final Duration timeout;
  private int runs;

  private final boolean shared;

  /** A page's directory under {@code root} (created here), linking into {@code repo}. */
  ExampleRunner(Path repo, Path root, Duration timeout) {
    this(repo, root, timeout, null);
  }

  /** As {@link #ExampleRunner(Path, Path, Duration)}, with {@code shared} (null: none) as the page's ../shared. */
  ExampleRunner(Path repo, Path root, Duration timeout, Path shared) {
    this.repo = repo.toAbsolutePath().normalize();
    this.shared = shared != null;
    this.timeout = timeout;
    try {
      Files.createDirectories(root);
      this.work = Files.createDirectory(root.resolve("work"));
      this.home = Files.createDirectory(root.resolve("remoteclip-home"));
      this.output = root.resolve("output");
      if (shared != null) {
        Files.createSymbolicLink(root.resolve("shared"), shared.toAbsolutePath().normalize());
      }
      try (Stream<Path> s = Files.list(this.repo)) {
        for (Path p : s.toList()) {
          String name = p.getFileName().toString();
          boolean linked = name.equals("bin") || name.equals("examples") || name.equals("models")
              || (name.startsWith("remoteclip-") && Files.isDirectory(p));
          if (linked) {
            Files.createSymbolicLink(work.resolve(name), p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path workDirectory() {
    return work;
  }

  /** What one command printed and how it ended. */
  record Result(String output, int exitCode, boolean timedOut) {}

  /** Runs every command of {@code ex} in order; the first whose output differs from the page's throws. */
  void check(Example ex) {
    if (!(shared ? ex.mode().runsWithShared() : ex.mode().runs())) {
      throw new IllegalArgumentException(ex.where() + " is not runnable (" + ex.mode().marker + ")"
          + (shared ? "" : " without ../shared"));
    }
    for (Command c : ex.commands()) {
      Result r = run(c.text());
      String problem = compare(ex.mode(), c.expected(), r);
      if (problem != null) {
        throw new AssertionFailedError(ex.page() + ":" + c.line() + ": the example's output differs from the page ("
            + ex.mode().marker + ", marker at line " + ex.line() + ")\n$ " + c.text() + "\n" + problem,
            String.join("\n", c.expected()), String.join("\n", DocExamples.lines(r.output())));
      }
    }
  }

  /** {@code null} when {@code r} prints what the page shows, else a readable account of the difference. */
  static String compare(Mode mode, List<String> expected, Result r) {
    List<String> actual = DocExamples.lines(r.output());
    List<String> e = mode.masks() ? DocExamples.masked(expected) : expected;
    List<String> a = mode.masks() ? DocExamples.masked(actual) : actual;
    if (e.equals(a) && !r.timedOut()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    if (r.timedOut()) {
      sb.append("timed out (killed)\n");
    }
    sb.append("exit code ").append(r.exitCode()).append("; ")
.append(mode.masks() ? "numbers masked as " + DocExamples.NUMBER_MASK + ", blanks collapsed; " : "")
        .append("- the page shows, + the command printed:\n");
    sb.append(Diff.unified(e, a));
    if (mode.masks()) {
      sb.append("printed (unmasked):\n");
      actual.forEach(l -> sb.append("  | ").append(l).append('\n'));
    }
    return sb.toString();
  }

  /** One command through {@code bash -c} in the page's directory, stdout and stderr merged. */
  Result run(String command) {
    Path out = output.resolveSibling("output-" + (++runs) + ".txt");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    environment(pb.environment());
    try {
      Process p = pb.start();
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      return new Result(Files.readString(out, StandardCharsets.UTF_8), done ? p.exitValue() : -1, !done);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }

  private void environment(Map<String, String> env) {
    env.remove("REMOTECLIP_MODEL");
    env.remove("DJL_OFFLINE"); // the launchers' default: offline
    env.remove("SPARK_HOME");
    env.put("REMOTECLIP_HOME", home.toString());
    env.put("LC_ALL", "C.UTF-8");
    env.put("LANG", "C.UTF-8");
    env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("PWD", work.toString());
  }

  /** Removes the symbolic links the runners made under {@code root} (never following them). */
  static void unlink(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The shared data: {@code -Dremoteclip.shared}, else {@code ../shared} of {@code repo}; null when it is not there. */
  static Path shared(Path repo) {
    String p = System.getProperty("remoteclip.shared");
    Path dir = p != null && !p.isBlank() ? Path.of(p) : repo.resolve("../shared");
    dir = dir.toAbsolutePath().normalize();
    return Files.isDirectory(dir.resolve("data")) ? dir : null;
  }

  /** The repository holding this module: {@code -Dremoteclip.repo}, else the parent of the working directory. */
  static Path repository() {
    String p = System.getProperty("remoteclip.repo");
    Path repo = p != null && !p.isBlank() ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
    return repo.toAbsolutePath().normalize();
  }
}

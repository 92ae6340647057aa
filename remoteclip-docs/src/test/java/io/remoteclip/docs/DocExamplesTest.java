package io.remoteclip.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.remoteclip.docs.DocExamples.Example;
import io.remoteclip.docs.DocExamples.MalformedExample;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marked examples of README.md and docs/*.md run and print what the pages show (issue 24 conventions,
 * {@link DocExamples}): one dynamic test per block, blocks of a page in order in one fresh directory
 * ({@link ExampleRunner}). Blocks marked {@code needs shared} run, numbers masked, when the shared data is there
 * ({@code ../shared} or {@code -Dremoteclip.shared}) and are skipped otherwise; blocks marked
 * {@code needs shared, slow} (minutes each) or {@code needs network} are skipped; each skip names page and line. Tagged {@code doc-examples}: runs in {@code verify} (surefire execution {@code doc-examples},
 * phase integration-test),
 * after the reactor packaged the CLI and Spark modules that {@code bin/remoteclip} and
 * {@code bin/remoteclip-spark} run; it never lets the launchers build.
 */
@Tag("doc-examples")
class DocExamplesTest {
  @TempDir static Path pages;

  @AfterAll
  static void unlink() throws IOException {
    ExampleRunner.unlink(pages);
  }

  @TestFactory
  Stream<DynamicNode> examplesPrintWhatThePagesShow() throws IOException {
    Path repo = ExampleRunner.repository();
    Path shared = ExampleRunner.shared(repo);
    List<DynamicNode> nodes = new ArrayList<>();
    int marked = 0;
    for (Path page : DocPages.pages(repo)) {
      String name = repo.relativize(page).toString();
      List<Example> examples;
      try {
        examples = DocExamples.parse(name, Files.readString(page));
      } catch (MalformedExample e) {
        nodes.add(DynamicTest.dynamicTest(name + ": malformed example", () -> fail(e.getMessage())));
        continue;
      }
      if (examples.isEmpty()) {
        continue;
      }
      marked += examples.size();
      Map<String, ExampleRunner> runner = new HashMap<>();
      List<DynamicNode> blocks = new ArrayList<>();
      for (Example ex : examples) {
        URI source = URI.create(page.toUri() + "?line=" + ex.line());
        String title = ex.where() + " [" + ex.mode().marker + "] $ " + firstLine(ex.commands().get(0).text());
        blocks.add(DynamicTest.dynamicTest(title, source, () -> {
          if (!(shared != null ? ex.mode().runsWithShared() : ex.mode().runs())) {
            String why = switch (ex.mode()) {
              case NEEDS_SHARED -> "needs ../shared (not found at " + repo.resolve("../shared").normalize() + ")";
              case NEEDS_SHARED_SLOW -> "needs ../shared and minutes (marked slow)";
              default -> "needs the network";
            };
            String msg = ex.where() + ": skipped, " + why + " ($ " + firstLine(ex.commands().get(0).text()) + ")";
            System.out.println("doc example " + msg);
            Assumptions.abort(msg);
          }
          requirePackagedLaunchers(repo);
          runner.computeIfAbsent(name, n -> new ExampleRunner(repo, pages.resolve(slug(n)), ExampleRunner.DEFAULT_TIMEOUT, shared))
              .check(ex);
        }));
      }
      nodes.add(DynamicContainer.dynamicContainer(name, page.toUri(), blocks.stream()));
    }
    if (marked == 0) {
      nodes.add(DynamicTest.dynamicTest("no marked examples", () ->
          Assumptions.abort("no '<!-- example: ... -->' blocks in README.md or docs/*.md")));
    }
    return nodes.stream();
  }

  /**
   * bin/remoteclip and bin/remoteclip-spark build the project when their jars are missing; inside the build
   * that would be a second, recursive build (and the page's directory has no mvnw), so they must exist.
   */
  static void requirePackagedLaunchers(Path repo) throws IOException {
    for (String module : List.of("remoteclip-cli", "remoteclip-spark")) {
      Path target = repo.resolve(module).resolve("target");
      boolean jar = false;
      if (Files.isDirectory(target)) {
        try (Stream<Path> s = Files.list(target)) {
          jar = s.map(p -> p.getFileName().toString())
              .anyMatch(n -> n.startsWith(module + "-") && n.endsWith(".jar") && !n.endsWith("-tests.jar"));
        }
      }
      assertTrue(jar && Files.isDirectory(target.resolve("lib")),
          module + "/target has no packaged jar and lib/: the doc examples run after the reactor's package phase "
              + "(./mvnw verify); they do not build it");
    }
    assertTrue(Files.isDirectory(repo.resolve("remoteclip-spark/target/spark-lib")),
        "remoteclip-spark/target/spark-lib missing: run the examples through ./mvnw verify");
  }

  private static String firstLine(String command) {
    String l = command.lines().findFirst().orElse("");
    return command.contains("\n") ? l + " ..." : l;
  }

  private static String slug(String page) {
    return page.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

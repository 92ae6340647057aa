package io.remoteclip.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.docs.DocExamples.Example;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The runner on fixture pages of plain shell commands (no packaged jars needed): a page whose output matches
 * passes, one whose shown output no longer matches fails naming page, line, command and the difference.
 */
class ExampleRunnerTest {
  @TempDir Path tmp;

  @AfterEach
  void unlink() throws IOException {
    ExampleRunner.unlink(tmp);
  }

  private ExampleRunner runner() {
    return new ExampleRunner(ExampleRunner.repository(), tmp.resolve("page"), Duration.ofSeconds(60));
  }

  private static final String GOOD = """
      <!-- example: run -->
      ```
      $ echo hello; echo to stderr >&2
      hello
      to stderr
      $ printf 'a  \\n\\n\\n'
      a
      $ ls -d bin examples models remoteclip-cli; ls -A "$REMOTECLIP_HOME" | wc -l; echo "${REMOTECLIP_MODEL:-unset}"
      bin
      examples
      models
      remoteclip-cli
      0
      unset
      $ echo one \\
          two > written.txt
      ```
      Later on the page, a file the first block wrote:
      <!-- example: run, masked -->
      ```
      $ cat written.txt; echo "took $((RANDOM + 1)).$RANDOM ms"
      one two
      took 12.5 ms
      ```
      """;

  @Test
  void aPageThatTellsTheTruthPasses() {
    ExampleRunner r = runner();
    for (Example ex : DocExamples.parse("docs/good.md", GOOD)) {
      r.check(ex);
    }
    assertTrue(Files.isRegularFile(r.workDirectory().resolve("written.txt")));
    assertTrue(Files.isSymbolicLink(r.workDirectory().resolve("bin")));
  }

  @Test
  void aChangedOutputFailsNamingPageLineCommandAndDifference() {
    String page = "# t\n\n<!-- example: run -->\n```\n$ echo same\nsame\n$ printf 'hello\\nworld\\n'\nhello\nword\n```\n";
    Example ex = DocExamples.parse("docs/changed.md", page).get(0);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> runner().check(ex));
    String m = e.getMessage();
    assertTrue(m.startsWith("docs/changed.md:7: the example's output differs from the page"), m);
    assertTrue(m.contains("$ printf 'hello\\nworld\\n'"), m);
    assertTrue(m.contains("  hello\n- word\n+ world\n"), m);
    assertEquals("hello\nword", e.getExpected().getStringRepresentation());
    assertEquals("hello\nworld", e.getActual().getStringRepresentation());
  }

  @Test
  void maskedComparesWordsNotNumbers() {
    String page = "<!-- example: run, masked -->\n```\n$ echo 'top1 0.93 top5 1.00'\ntop1 0.5 top1 1\n```\n";
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> runner().check(DocExamples.parse("p.md", page).get(0)));
    assertTrue(e.getMessage().contains("- top1 <#> top1 <#>\n+ top1 <#> top5 <#>\n"), e.getMessage());
    assertTrue(e.getMessage().contains("  | top1 0.93 top5 1.00"), e.getMessage());
  }

  @Test
  void needsSharedBlocksRunMaskedWithTheSharedDataAsTheirParentsShared() throws Exception {
    Path shared = tmp.resolve("shared-data");
    Files.createDirectories(shared.resolve("data"));
    Files.writeString(shared.resolve("data/x.txt"), "2100 images\n");
    String page = "<!-- example: needs shared -->\n```\n$ cat ../shared/data/x.txt\n5 images\n```\n"
        + "<!-- example: needs shared, slow -->\n```\n$ false\n```\n";
    List<Example> ex = DocExamples.parse("docs/s.md", page);
    assertEquals(DocExamples.Mode.NEEDS_SHARED_SLOW, ex.get(1).mode());
    assertThrows(IllegalArgumentException.class, () -> runner().check(ex.get(0)), "no shared data: not runnable");
    ExampleRunner r = new ExampleRunner(ExampleRunner.repository(), tmp.resolve("with-shared"), Duration.ofSeconds(60), shared);
    r.check(ex.get(0));
    assertThrows(IllegalArgumentException.class, () -> r.check(ex.get(1)), "slow: never run");
    String other = "<!-- example: needs shared -->\n```\n$ cat ../shared/data/x.txt\n5 files\n```\n";
    assertThrows(AssertionFailedError.class, () -> r.check(DocExamples.parse("docs/s.md", other).get(0)));
  }

  @Test
  void aHangingCommandIsKilled() {
    ExampleRunner r = new ExampleRunner(ExampleRunner.repository(), tmp.resolve("slow"), Duration.ofSeconds(1));
    ExampleRunner.Result res = r.run("echo started; sleep 30");
    assertTrue(res.timedOut());
    assertEquals(List.of("started"), DocExamples.lines(res.output()));
    String problem = ExampleRunner.compare(DocExamples.Mode.RUN, List.of("started"), res);
    assertTrue(problem.startsWith("timed out"), problem);
  }
}

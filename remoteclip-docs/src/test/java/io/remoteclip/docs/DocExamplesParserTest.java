package io.remoteclip.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.docs.DocExamples.Command;
import io.remoteclip.docs.DocExamples.Example;
import io.remoteclip.docs.DocExamples.MalformedExample;
import io.remoteclip.docs.DocExamples.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Markers, commands, expected output and masking on small pages. */
class DocExamplesParserTest {
  private static final String PAGE = """
      # Page
      Text.

      <!-- example: run -->
      ```
      $ bin/remoteclip classify --labels a,b \\
          examples/images/airplane00.jpg
      airplane00.jpg  a  0.91   \s

      $ echo two
      two
      ```

      ```bash
      $ not marked: documentation only
      ```

      <!--example:run,   masked-->
      ```text
      $ bin/remoteclip bench --arch RN50
      images/s 12.5
      ```
      <!-- example: needs shared -->
      ```
      $ bin/remoteclip eval retrieval --model ../shared/golden/vit-tiny/model.pt
      retrieval: 210 images
      ```
      - in a list:
        <!-- example: needs network -->
        ```
        $ bin/remoteclip pull ViT-B-32
        ```
      ````md
      <!-- example: run -->
      ```
      $ inside a longer fence: documentation of the conventions, not an example
      ```
      ````
      """;

  @Test
  void parsesMarkersCommandsAndOutput() {
    List<Example> ex = DocExamples.parse("docs/p.md", PAGE);
    assertEquals(4, ex.size());
    Example run = ex.get(0);
    assertEquals(new Example("docs/p.md", 4, Mode.RUN, List.of(
        new Command(6, "bin/remoteclip classify --labels a,b \\\n    examples/images/airplane00.jpg",
            List.of("airplane00.jpg  a  0.91")),
        new Command(10, "echo two", List.of("two")))), run);
    assertEquals("docs/p.md:4", run.where());
    assertEquals(Mode.MASKED, ex.get(1).mode());
    assertEquals(18, ex.get(1).line());
    assertEquals(List.of("images/s 12.5"), ex.get(1).commands().get(0).expected());
    assertEquals(Mode.NEEDS_SHARED, ex.get(2).mode());
    assertEquals(Mode.NEEDS_NETWORK, ex.get(3).mode());
    assertEquals(new Command(31, "bin/remoteclip pull ViT-B-32", List.of()), ex.get(3).commands().get(0));
  }

  @Test
  void aMarkerInACodeSpanIsText() {
    assertEquals(List.of(), DocExamples.parse("docs/architecture.md",
        "A block preceded by `<!-- example: run -->` runs; ``<!-- example: needs shared -->`` is skipped.\n```\n$ x\n```\n"));
  }

  @Test
  void aMarkerThatIsNotFollowedByAFenceIsAnError() {
    MalformedExample e = assertThrows(MalformedExample.class,
        () -> DocExamples.parse("README.md", "a\n<!-- example: run -->\n\n```\n$ echo\n```\n"));
    assertTrue(e.getMessage().startsWith("README.md:2: "), e.getMessage());
    e = assertThrows(MalformedExample.class,
        () -> DocExamples.parse("README.md", "<!-- example: runs -->\n```\n$ echo\n```\n"));
    assertTrue(e.getMessage().contains("unknown example marker 'runs'"), e.getMessage());
    e = assertThrows(MalformedExample.class, () -> DocExamples.parse("p.md", "<!-- example: run -->\n```\n```\n"));
    assertTrue(e.getMessage().contains("p.md:1: marked example without a '$ ' command"), e.getMessage());
    e = assertThrows(MalformedExample.class, () -> DocExamples.parse("p.md", "<!-- example: run -->\n```\nout\n$ echo\n```\n"));
    assertTrue(e.getMessage().startsWith("p.md:3: output before"), e.getMessage());
    e = assertThrows(MalformedExample.class,
        () -> DocExamples.parse("p.md", "<!-- example: run -->\n```\n<!-- example: run -->\n$ echo\n```\n"));
    assertTrue(e.getMessage().startsWith("p.md:3: example marker inside the code block"), e.getMessage());
    e = assertThrows(MalformedExample.class, () -> DocExamples.parse("p.md", "x <!-- example: run -->\n```\n$ echo\n```\n"));
    assertTrue(e.getMessage().startsWith("p.md:1: an example marker must be alone"), e.getMessage());
    e = assertThrows(MalformedExample.class, () -> DocExamples.parse("p.md", "<!-- example: run -->\n```\n$ echo\n"));
    assertTrue(e.getMessage().startsWith("p.md:2: code block never closed"), e.getMessage());
  }

  @Test
  void masksNumbersAndBlanks() {
    assertEquals("took <#> s (<#>%), <#> images of ViT-B-<#>, top1 <#>",
        DocExamples.masked("took 1.25e-3 s   (-4%),  2,100 images of ViT-B-32, top1 +0.5  "));
    assertEquals(DocExamples.masked("top1 0.9123  mean 12"), DocExamples.masked("top1 1.0    mean 7"));
    assertNotEquals(DocExamples.masked("top1 0.91"), DocExamples.masked("top5 0.91"));
    assertNotEquals(DocExamples.masked("a 1 2"), DocExamples.masked("a 1"));
    assertEquals(List.of("a", "", "b"), DocExamples.lines("a  \n\nb\t\n\n \n"));
  }
}

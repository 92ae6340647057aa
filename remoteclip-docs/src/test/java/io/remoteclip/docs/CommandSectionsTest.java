package io.remoteclip.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.Main;
import io.remoteclip.spark.SparkMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every command of {@code remoteclip --help} (recursively, {@code help} aside) and of
 * {@code remoteclip-spark --help} has a section in docs/: a heading (# to ####) naming it in backticks,
 * {@code ### `eval zeroshot`} or {@code ### `remoteclip-spark embed`}. The list comes from picocli, so a new
 * command without a section fails here.
 */
class CommandSectionsTest {
  /** The names a docs section must carry: the CLI's without the launcher, the Spark launcher's with it. */
  static List<String> commandNames() {
    List<String> names = new ArrayList<>(Commands.names(Main.newCommandLine(), false));
    names.addAll(Commands.names(SparkMain.newCommandLine(), true));
    return names;
  }

  /** The commands of {@code names} that no heading of {@code pages} names in backticks. */
  static List<String> missing(List<String> names, Collection<String> pages) {
    Set<String> headings = new HashSet<>();
    pages.forEach(p -> headings.addAll(DocPages.headingNames(p)));
    return names.stream().filter(n -> !headings.contains(n)).toList();
  }

  @Test
  void everyCommandHasADocsSection() throws IOException {
    Path repo = ExampleRunner.repository();
    List<Path> docs = DocPages.docs(repo);
    List<String> texts = new ArrayList<>();
    for (Path p : docs) {
      texts.add(Files.readString(p));
    }
    List<String> missing = missing(commandNames(), texts);
    assertTrue(missing.isEmpty(), missing.size() + " command(s) without a section in docs/*.md ("
        + docs.size() + " pages): no heading #..#### names them in backticks:\n  `"
        + String.join("`\n  `", missing) + "`");
  }

  @Test
  void theCommandListComesFromPicocli() {
    List<String> names = commandNames();
    for (String n : List.of("classify", "embed", "eval zeroshot", "solr dev-cluster", "bench serve",
        "remoteclip-spark embed", "remoteclip-spark classify")) {
      assertTrue(names.contains(n), n + " in " + names);
    }
    assertFalse(names.stream().anyMatch(n -> n.equals("help") || n.endsWith(" help")), names.toString());
    assertEquals(names.size(), new HashSet<>(names).size(), "each command once: " + names);
  }

  @Test
  void headingsNameCommandsInBackticks() {
    String page = """
        # Search and serving
        ### `index` — build an index
        ## `models`, `pull`
        #### `eval zeroshot` (and `--transductive`)
        ##### `scan` is too deep a heading
        ### eval knn
        Text naming `train` is no section.
        ```
        ### `tokenize` inside a code block
        ```
        ### `remoteclip-spark embed`
        """;
    List<String> names = List.of("index", "models", "pull", "eval zeroshot", "scan", "eval knn", "train",
        "tokenize", "remoteclip-spark embed", "remoteclip-spark classify", "eval");
    assertEquals(List.of("scan", "eval knn", "train", "tokenize", "remoteclip-spark classify", "eval"),
        missing(names, List.of(page)));
  }
}

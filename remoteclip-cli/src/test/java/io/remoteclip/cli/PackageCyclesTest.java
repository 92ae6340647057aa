package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.PackageGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command packages form no cycle either: {@code cli} → {@code cli.eval} → {@code cli.common}. */
class PackageCyclesTest {
  @Test
  void cliHasNoPackageCycles() {
    PackageGraph g = PackageGraph.of(Path.of("src/main/java"));
    List<Set<String>> cycles = g.cycles();
    assertTrue(cycles.isEmpty(), g.describe(cycles));
    assertTrue(g.uses("io.remoteclip.cli.common").stream().noneMatch(p -> p.startsWith("io.remoteclip.cli")),
        "cli.common is the bottom of the command packages: " + g.uses("io.remoteclip.cli.common"));
  }
}

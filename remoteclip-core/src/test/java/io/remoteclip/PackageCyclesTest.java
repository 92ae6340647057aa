package io.remoteclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.PackageGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Data flows one way: no two packages of the library use each other, directly or around a loop. */
class PackageCyclesTest {
  @Test
  void coreHasNoPackageCycles() {
    PackageGraph g = PackageGraph.of(Path.of("src/main/java"));
    List<Set<String>> cycles = g.cycles();
    assertTrue(cycles.isEmpty(), g.describe(cycles));
    assertTrue(g.uses("io.remoteclip.vector").stream().noneMatch(p -> p.startsWith("io.remoteclip")),
        "vector is a leaf (search, index, scan and eval all use it): " + g.uses("io.remoteclip.vector"));
    assertFalse(g.uses("io.remoteclip.index").contains("io.remoteclip.eval"),
        "the index needs no evaluation code: " + g.uses("io.remoteclip.index"));
  }

  @Test
  void cyclesAreFound(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    write(tmp, "a/A.java", "package io.remoteclip.a;\nimport io.remoteclip.b.B;\nclass A {}\n");
    write(tmp, "b/B.java", "package io.remoteclip.b;\nclass B { io.remoteclip.c.C c; }\n");
    write(tmp, "c/C.java", "package io.remoteclip.c;\n/** {@link io.remoteclip.d.D} in a comment is no use. */\n"
        + "class C { io.remoteclip.a.A a; }\n");
    write(tmp, "d/D.java", "package io.remoteclip.d;\nimport io.remoteclip.a.A;\nclass D {}\n");
    PackageGraph g = PackageGraph.of(tmp);
    assertEquals(List.of(Set.of("io.remoteclip.a", "io.remoteclip.b", "io.remoteclip.c")), g.cycles());
    assertFalse(g.uses("io.remoteclip.c").contains("io.remoteclip.d"));
  }

  private static void write(Path root, String rel, String text) throws Exception {
    Path f = root.resolve(rel);
    java.nio.file.Files.createDirectories(f.getParent());
    java.nio.file.Files.writeString(f, text);
  }
}

package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import io.remoteclip.testing.StripImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 100000x1 PNG (a few hundred bytes) gives one line naming it in every command that encodes images. */
class ElongatedImageCommandsTest {
  private static final String PROBLEM = "image is too elongated: 100000x1";

  @TempDir static Path tmp;
  private static Path images;
  private static Path strip;
  private static String model;

  @BeforeAll
  static void draw() throws Exception {
    images = tmp.resolve("images");
    SampleImages.ucmLike(images, 101, 701);
    strip = Files.write(images.resolve("strip.png"), StripImages.png(100_000, 1));
    model = BundledModel.dir().toString();
  }

  private static void assertOneLineNaming(CliRun r, String line) {
    assertFalse(r.err().contains("\tat "), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("remoteclip: ") && l.contains(line)), r.err());
  }

  @Test
  void embedSkipsItInOneLine() throws Exception {
    Path out = tmp.resolve("e.npy");
    CliRun r = CliRun.of("embed", "--model", model, "--images", images.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertOneLineNaming(r, "skipped " + strip + ": " + PROBLEM);
    assertEquals(2, Files.readAllLines(tmp.resolve("e.txt")).size());
  }

  @Test
  void classifySkipsItInOneLine() {
    CliRun r = CliRun.of("classify", "--model", model, "--labels", "airplane,forest", strip.toString(),
        images.resolve("101.jpg").toString());
    assertEquals(0, r.code(), r.err());
    assertOneLineNaming(r, "skipped " + strip + ": " + PROBLEM);
    assertTrue(r.out().contains("101.jpg"), r.out());
  }

  @Test
  void searchByItIsOneLineAndExit65() {
    Path index = tmp.resolve("index");
    Path only = tmp.resolve("only");
    SampleImages.ucmLike(only, 102, 702);
    CliRun indexed = CliRun.of("index", "--model", model, only.toString(), "--index", index.toString());
    assertEquals(0, indexed.code(), indexed.err());
    CliRun r = CliRun.of("search", "--index", index.toString(), "--model", model, "--image", strip.toString());
    assertEquals(65, r.code(), r.err());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(List.of("remoteclip: " + strip + ": " + PROBLEM
        + ", its longer side is 100,000 times its shorter, the limit is 100"), lines);
  }
}

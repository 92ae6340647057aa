package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are not what a command expects: each mistake is one line {@code remoteclip: <file>: <problem>}
 * with the exit code of the documented table, never a bare JDK or Lucene message, never a hang.
 */
class InputMistakesCommandTest {
  @TempDir Path tmp;

  private record Run(int code, String err) {
    /** One line naming {@code file} and saying {@code problem}. */
    void says(int expected, Path file, String problem) {
      List<String> lines = err.lines().filter(l -> !l.startsWith("remoteclip: using the built-in")).toList();
      assertEquals(1, lines.size(), err);
      assertTrue(lines.get(0).startsWith("remoteclip: " + file + ": ") && lines.get(0).contains(problem), err);
      assertEquals(expected, code, err);
    }
  }

  private static Run run(String... args) {
    CliRun r = CliRun.of(args);
    return new Run(r.code(), r.err());
  }

  private static String model() {
    return BundledModel.dir().toString();
  }

  @Test
  void aFifoGivenAsAnImageIsRefusedNotWaitedOn() throws Exception {
    Path fifo = tmp.resolve("camera.jpg");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is not available here");
    Run r = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> run("classify", "--model", model(), "--labels", "forest,airport", fifo.toString()));
    r.says(66, fifo, "not a regular file");
    Path scene = tmp.resolve("scene.tif");
    Files.move(fifo, scene);
    r = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> run("scan", "--model", model(), "--query", "x", "--out", tmp.resolve("o").toString(), scene.toString()));
    r.says(66, scene, "not a regular file");
  }

  @Test
  void labelFilesThatAreDirectoriesOrNotUtf8NameTheFileAndTheLine() throws Exception {
    Path images = tmp.resolve("imgs");
    SampleImages.ucmLike(images, 1, 2);
    Path dir = Files.createDirectories(tmp.resolve("labels.csv"));
    run("classify", "--model", model(), "--labels-file", dir.toString(), images.toString())
        .says(66, dir, "is a directory, not a file");
    run("index", "--model", model(), images.toString(), "--index", tmp.resolve("i1").toString(), "--labels", dir.toString())
        .says(66, dir, "is a directory, not a file");

    Path latin1 = tmp.resolve("labels-latin1.csv");
    Files.write(latin1, "filename,class\n1.jpg,for\u00eat\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    run("index", "--model", model(), images.toString(), "--index", tmp.resolve("i2").toString(), "--labels",
        latin1.toString()).says(65, Path.of(latin1 + ":2"), "not UTF-8 text");
    Path classes = tmp.resolve("classes.txt");
    Files.write(classes, new byte[] {'f', 'o', 'r', 'e', 's', 't', '\n', 'c', 'a', 'f', (byte) 0xe9, '\n'});
    run("classify", "--model", model(), "--labels-file", classes.toString(), images.toString())
        .says(65, Path.of(classes + ":2"), "not UTF-8 text");
  }

  @Test
  void anOutputFileThatIsADirectoryIsNamedBeforeAnyEncoding() throws Exception {
    Path images = tmp.resolve("imgs-out");
    SampleImages.ucmLike(images, 1, 2);
    Path dir = Files.createDirectories(tmp.resolve("out.npy"));
    Run r = run("embed", "--model", model(), "--images", images.toString(), "--out", dir.toString());
    r.says(74, dir, "is a directory, not a file");
    try (var left = Files.list(tmp)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
  }

  @Test
  void classifyOnAnEmptyFolderSaysSo() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    run("classify", "--model", model(), "--labels", "forest,airport", empty.toString()).says(65, empty, "no image files");
  }

  @Test
  void aFileOrAGarbageDirectoryGivenAsIndexIsNamed() throws Exception {
    Path file = SampleImages.write(tmp.resolve("1.jpg"), 1);
    run("search", "--index", file.toString(), "a forest").says(65, file, "is a file, not an index directory");
    Path images = tmp.resolve("imgs");
    SampleImages.ucmLike(images, 1, 2);
    run("index", "--model", model(), images.toString(), "--index", file.toString())
        .says(65, file, "is a file, not an index directory");
    Path garbage = Files.createDirectories(tmp.resolve("garbage"));
    Files.writeString(garbage.resolve("segments_1"), "not a Lucene commit");
    run("search", "--index", garbage.toString(), "a forest").says(65, garbage, "not a readable image index");
    run("index", "--model", model(), images.toString(), "--index", garbage.toString())
        .says(65, garbage, "not a readable image index");
  }

  @Test
  void cocoAnnotationsGivenAsADirectorySayWhatCocoTakes() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("annotations"));
    run("captions", "--format", "coco", "--annotations", dir.toString(), "--images", tmp.toString(), "--out",
        tmp.resolve("out").toString()).says(66, dir, "is a directory; COCO annotations are one JSON file");
  }
}

package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.TinyModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * SIGKILL in the middle of indexing (a child JVM running {@code remoteclip index}), then a second run: the
 * index holds every image exactly once.
 */
class IndexKillResumeTest {
  @TempDir Path tmp;

  /** Documents in the last commit of {@code idx}; 0 while there is none (or one is being written). */
  static int committedDocs(Path idx) {
    try (var dir = FSDirectory.open(idx)) {
      if (!DirectoryReader.indexExists(dir)) {
        return 0;
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        return r.numDocs();
      }
    } catch (Exception e) {
      return 0; // a commit being written: try again
    }
  }

  @Test
  void killedRunIsResumedWithoutDuplicatesOrGaps() throws Exception {
    Path images = tmp.resolve("ucm");
    List<Path> files = TinyModel.copyUcm(images, TinyModel.ranges(40, 1, 401, 801));
    Path idx = tmp.resolve("idx");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        "io.remoteclip.cli.Main", "index", images.toString(), "--index", idx.toString(), "--commit-every", "8",
        "--batch-size", "8", "--model", TinyModel.weights().toString(), "--vocab", TinyModel.vocab().toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    int atKill = 0;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && child.isAlive()) {
        atKill = committedDocs(idx);
        if (atKill >= 16) {
          break;
        }
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    int afterKill = committedDocs(idx);
    assumeTrue(afterKill < files.size(), "the child finished before it could be killed (" + afterKill + " documents)");
    assertTrue(afterKill >= 16, "commits were made before the kill: " + afterKill + "\n" + Files.readString(tmp.resolve("child.log")));
    assertEquals(0, afterKill % 8, "only whole commits survive a kill: " + afterKill);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    assertEquals(0, cmd.execute("index", images.toString(), "--index", idx.toString()), err.toString());
    assertTrue(out.toString().contains((files.size() - afterKill) + " added") && out.toString().contains(afterKill + " unchanged"),
        "resumed where the last commit ended: " + out);

    try (ImageIndex index = ImageIndex.open(idx)) {
      Set<String> paths = new HashSet<>();
      for (ImageRecord r : index.records(false)) {
        assertTrue(paths.add(r.path()), "duplicate document " + r.path());
      }
      Set<String> expected = new HashSet<>();
      files.forEach(f -> expected.add(images.relativize(f).toString()));
      assertEquals(expected, paths, "every image exactly once");
      assertEquals(files.size(), index.size());
    }
  }
}

package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.TrainingCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint inside a zip archive is extracted once into the cache, read from there again, and anew when the zip changes. */
class ZippedCheckpointCacheTest {
  @TempDir Path tmp;

  private static List<Path> copies(Path cache) throws Exception {
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  private static Object fileKey(Path p) throws Exception {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  @Test
  void aSecondLoadReadsTheKeptCopyAndAChangedZipIsExtractedAgain() throws Exception {
    StateDict plain = Checkpoints.read(BundledModel.weights());
    Path zip = tmp.resolve("skyclip.zip");
    TrainingCheckpoints.zip(zip, Map.of("run/model.safetensors", BundledModel.weights()));
    Path cache = tmp.resolve("cache/unzipped");

    StateDict first = Checkpoints.read(zip, ProgressListener.NONE, cache);
    assertEquals(plain.keys(), first.keys());
    List<Path> kept = copies(cache);
    assertEquals(1, kept.size(), kept.toString());
    Path copy = kept.get(0).resolve("model.safetensors");
    assertEquals(Files.size(BundledModel.weights()), Files.size(copy));
    assertEquals(zip.toAbsolutePath().normalize().toString(), Files.readString(kept.get(0).resolve("source.txt")));
    // an extraction would write a new file: a new inode, a new modification time
    FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(copy, marked);
    Object inode = fileKey(copy);

    StateDict second = Checkpoints.read(zip, ProgressListener.NONE, cache);
    assertEquals(first.notes(), second.notes());
    assertEquals(kept, copies(cache));
    assertEquals(marked, Files.getLastModifiedTime(copy), "extracted again");
    assertEquals(inode, fileKey(copy));

    // the same path, other content and time: extracted anew, the old copy removed
    Path e3 = TrainingCheckpoints.write(plain, tmp.resolve("e3.pt"), 3);
    Files.delete(zip);
    TrainingCheckpoints.zip(zip, Map.of("run/epoch_3.pt", e3));
    Files.setLastModifiedTime(zip, FileTime.fromMillis(Files.getLastModifiedTime(zip).toMillis() + 5000));
    StateDict changed = Checkpoints.read(zip, ProgressListener.NONE, cache);
    assertEquals("checkpoint run/epoch_3.pt inside the zip archive", changed.notes().get(0));
    assertTrue(changed.notes().get(1).contains("(epoch 3)"), changed.notes().toString());
    assertEquals(plain.keys(), changed.keys());
    List<Path> now = copies(cache);
    assertEquals(1, now.size(), now.toString());
    assertNotEquals(kept.get(0), now.get(0));
    assertTrue(Files.isRegularFile(now.get(0).resolve("epoch_3.pt")));
  }

  @Test
  void copiesOfArchivesThatAreGoneAreRemoved() throws Exception {
    Path cache = tmp.resolve("unzipped");
    Path a = tmp.resolve("a.zip");
    TrainingCheckpoints.zip(a, Map.of("a.safetensors", BundledModel.weights()));
    Checkpoints.read(a, ProgressListener.NONE, cache);
    Files.delete(a);
    Path b = tmp.resolve("b.zip");
    TrainingCheckpoints.zip(b, Map.of("b.safetensors", BundledModel.weights()));
    Checkpoints.read(b, ProgressListener.NONE, cache);
    List<Path> now = copies(cache);
    assertEquals(1, now.size(), now.toString());
    assertTrue(Files.isRegularFile(now.get(0).resolve("b.safetensors")));
  }
}

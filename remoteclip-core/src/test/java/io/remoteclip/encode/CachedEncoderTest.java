package io.remoteclip.encode;

import io.remoteclip.testing.TestEncoders;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedEncoderTest {
  @Test
  void reusesValidEntriesAndReencodesChangedFiles(@TempDir Path tmp) throws Exception {
    Path a = Files.writeString(tmp.resolve("a.jpg"), "image a");
    Path b = Files.writeString(tmp.resolve("b.jpg"), "image b");
    Path cache = tmp.resolve("cache");
    TestEncoders.Hashing model = new TestEncoders.Hashing("model-1");
    float[][] first = new CachedEncoder(model, cache).encodeImages(List.of(a, b), ProgressListener.NONE);
    assertEquals(2, model.imagesEncoded);

    CachedEncoder again = new CachedEncoder(model, cache);
    float[][] second = again.encodeImages(List.of(b, a, a), ProgressListener.NONE);
    assertEquals(2, model.imagesEncoded, "nothing re-encoded");
    assertEquals(3, again.hits());
    assertArrayEquals(first[0], second[1]);
    assertArrayEquals(first[1], second[0]);

    // Same path, new content and mtime: stale, re-encoded; the old row is replaced.
    Files.writeString(b, "image b, edited");
    Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() + 5000));
    CachedEncoder third = new CachedEncoder(model, cache);
    float[][] r = third.encodeImages(List.of(a, b), ProgressListener.NONE);
    assertEquals(3, model.imagesEncoded);
    assertEquals(1, third.misses());
    assertArrayEquals(new TestEncoders.Hashing("model-1").encodeImages(List.of(b), ProgressListener.NONE)[0], r[1]);
    EmbeddingTable table = EmbeddingTable.read(Files.list(cache).findFirst().orElseThrow().resolve("images.npy"));
    assertEquals(2, table.keys().size());

    // Another model never sees these rows.
    TestEncoders.Hashing other = new TestEncoders.Hashing("model-2");
    new CachedEncoder(other, cache).encodeImages(List.of(a), ProgressListener.NONE);
    assertEquals(1, other.imagesEncoded);
  }

  @Test
  void textsWithNewlinesRoundTrip(@TempDir Path tmp) throws Exception {
    TestEncoders.Hashing model = new TestEncoders.Hashing("m");
    List<String> texts = List.of("a satellite photo of a forest.", "two\nlines \\ and a backslash", "");
    float[][] first = new CachedEncoder(model, tmp).encodeTexts(texts, ProgressListener.NONE);
    float[][] second = new CachedEncoder(model, tmp).encodeTexts(texts, ProgressListener.NONE);
    assertEquals(3, model.textsEncoded);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(first[i], second[i]);
    }
  }

  @Test
  void corruptCacheIsRebuilt(@TempDir Path tmp) throws Exception {
    TestEncoders.Hashing model = new TestEncoders.Hashing("m");
    new CachedEncoder(model, tmp).encodeTexts(List.of("x", "y"), ProgressListener.NONE);
    Path dir = Files.list(tmp).findFirst().orElseThrow();
    Files.writeString(dir.resolve("texts.txt"), "x\n"); // one line for two rows
    new CachedEncoder(model, tmp).encodeTexts(List.of("x", "y"), ProgressListener.NONE);
    assertEquals(4, model.textsEncoded);
    assertEquals(2, EmbeddingTable.read(dir.resolve("texts.npy")).keys().size());
  }
}

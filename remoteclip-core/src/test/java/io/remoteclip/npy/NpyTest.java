package io.remoteclip.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path tmp;

  @Test
  void roundTripsFloatsAndLongs() throws Exception {
    Path f = tmp.resolve("a.npy");
    Npy.writeFloats(f, new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3);
    NpyArray a = Npy.read(f);
    assertEquals("<f4", a.dtype());
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, a.floats());
    Path g = tmp.resolve("b.npy");
    Npy.writeLongs(g, new long[] {7, 49407}, 2);
    assertArrayEquals(new int[] {7, 49407}, Npy.readLabels(g));
  }

  @Test
  void readsGoldenScalarAndInt64() throws Exception {
    NpyArray scale = Npy.read(Fixtures.require("golden/vit-tiny/logit_scale.npy"));
    assertEquals(1, scale.size());
    assertEquals(2.435350, scale.floats()[0], 1e-5);
    NpyArray tokens = Npy.read(Fixtures.require("golden/vit-tiny/tokens.npy"));
    assertArrayEquals(new int[] {6, 77}, tokens.shape());
    assertEquals(49406, tokens.longs()[0]);
  }

  @Test
  void rejectsTruncatedAndForeignFiles() throws Exception {
    Path f = tmp.resolve("t.npy");
    Npy.writeFloats(f, new float[100], 10, 10);
    byte[] all = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(all, all.length - 7));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Path g = tmp.resolve("x.npy");
    Files.writeString(g, "hello world, not numpy");
    assertThrows(DataFormatException.class, () -> Npy.read(g));
  }
}

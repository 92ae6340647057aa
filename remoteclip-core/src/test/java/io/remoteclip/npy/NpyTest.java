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
  void matricesGoInAndOutInBlocks() throws Exception {
    // readMatrix reads 4 MB blocks and writeMatrix writes a row at a time (a million 1,024-d rows are 4 GB, more
    // than one Java array); rows of 4,400 bytes make 4 blocks here, the last one short
    java.util.Random rnd = new java.util.Random(3);
    float[][] rows = new float[3000][1100];
    for (float[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        r[j] = (float) rnd.nextGaussian();
      }
    }
    Path f = tmp.resolve("m.npy");
    Npy.writeMatrix(f, rows, 1100);
    assertEquals(3000L * 1100 * 4 + 128, Files.size(f));
    float[][] back = Npy.readMatrix(f);
    assertEquals(3000, back.length);
    for (int i = 0; i < rows.length; i++) {
      assertArrayEquals(rows[i], back[i], "row " + i);
    }
    assertArrayEquals(rows[2999], Npy.read(f).matrix()[2999]);
    // another dtype through the same blocks: float64, converted per block
    java.nio.ByteBuffer doubles = java.nio.ByteBuffer.allocate(2000 * 600 * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 2000 * 600; i++) {
      doubles.putDouble(i * 0.25);
    }
    Path g = tmp.resolve("d.npy");
    Npy.write(g, new NpyArray("<f8", new int[] {2000, 600}, doubles.flip()));
    float[][] d = Npy.readMatrix(g);
    assertEquals(1999 * 600 * 0.25f + 599 * 0.25f, d[1999][599]);
    assertEquals(874 * 600 * 0.25f, d[874][0]);
    Files.write(g, java.util.Arrays.copyOf(Files.readAllBytes(g), 1000));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.readMatrix(g));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
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

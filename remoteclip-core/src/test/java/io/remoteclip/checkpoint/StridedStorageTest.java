package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.CorruptCheckpointException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors that view shared storages at offsets and with strides. The file is the structure that
 * {@code torch.save} writes for this Python code (checked once with torch 1.13 while developing: torch
 * loads this Java-built file with the same values and shared storages, and our reader reads the torch-built
 * one identically):
 *
 * <pre>
 * base = torch.arange(24, dtype=torch.float32); m = base.view(4, 6)
 * sd = OrderedDict(whole=m, t=m.t(), row2=m[2], col3=m[:, 3], sub=m[1:3, 2:5],
 *                  half=torch.arange(6, dtype=torch.float16).view(2, 3).t(), scalar=torch.tensor(7))
 * </pre>
 */
class StridedStorageTest {
  @TempDir Path tmp;

  private static TorchPickleWriter.TensorRef view(String name, DType dtype, String key, long numel, long offset,
      long[] size, long[] stride) {
    return new TorchPickleWriter.TensorRef(name, dtype, key, numel, offset, size, stride);
  }

  private Path writeViews() throws Exception {
    float[] base = new float[24];
    for (int i = 0; i < 24; i++) {
      base[i] = i;
    }
    float[] halfValues = {0, 1, 2, 3, 4, 5};
    List<TorchPickleWriter.TensorRef> refs = List.of(
        view("whole", DType.FLOAT32, "0", 24, 0, new long[] {4, 6}, new long[] {6, 1}),
        view("t", DType.FLOAT32, "0", 24, 0, new long[] {6, 4}, new long[] {1, 6}),
        view("row2", DType.FLOAT32, "0", 24, 12, new long[] {6}, new long[] {1}),
        view("col3", DType.FLOAT32, "0", 24, 3, new long[] {4}, new long[] {6}),
        view("sub", DType.FLOAT32, "0", 24, 8, new long[] {2, 3}, new long[] {6, 1}),
        view("half", DType.FLOAT16, "1", 6, 0, new long[] {3, 2}, new long[] {1, 3}),
        view("scalar", DType.INT64, "2", 1, 0, new long[] {}, new long[] {}));
    Map<String, ByteBuffer> storages = new LinkedHashMap<>();
    storages.put("0", TensorData.ofFloats(base, 24).data());
    storages.put("1", TensorData.ofFloats(halfValues, 6).convertTo(DType.FLOAT16).data());
    storages.put("2", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 7));
    Path file = tmp.resolve("views.pt");
    PtCheckpointWriter.writeViews(file, refs, storages);
    return file;
  }

  @Test
  void viewsOfSharedStoragesAreCopiedOutInCOrder() throws Exception {
    StateDict sd = Checkpoints.read(writeViews());
    assertEquals(List.of("whole", "t", "row2", "col3", "sub", "half", "scalar"), List.copyOf(sd.keys()));
    float[] whole = sd.get("whole", 4, 6).toFloats();
    for (int i = 0; i < 24; i++) {
      assertEquals(i, whole[i]);
    }
    float[] t = sd.get("t", 6, 4).toFloats();
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(whole[c * 6 + r], t[r * 4 + c], "t[" + r + "][" + c + "]");
      }
    }
    assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17}, sd.get("row2", 6).toFloats());
    assertArrayEquals(new float[] {3, 9, 15, 21}, sd.get("col3", 4).toFloats());
    assertArrayEquals(new float[] {8, 9, 10, 14, 15, 16}, sd.get("sub", 2, 3).toFloats());
    assertEquals(DType.FLOAT16, sd.get("half").dtype());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, sd.get("half", 3, 2).toFloats());
    assertEquals(7L, sd.get("scalar").data().getLong(0));
    // contiguous views are byte ranges read from the file when used, the others were gathered onto the heap
    for (String k : List.of("whole", "row2", "scalar")) {
      assertFalse(sd.get(k).inMemory(), k);
    }
    for (String k : List.of("t", "col3", "sub", "half")) {
      assertTrue(sd.get(k).inMemory(), k);
    }
  }

  @Test
  void viewReachingPastItsStorageIsCorrupt() throws Exception {
    Map<String, ByteBuffer> storages = Map.of("0", TensorData.ofFloats(new float[6], 6).data());
    Path file = tmp.resolve("bad-view.pt");
    PtCheckpointWriter.writeViews(file,
        List.of(view("w", DType.FLOAT32, "0", 6, 4, new long[] {2, 2}, new long[] {2, 1})), storages);
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoints.read(file));
    assertTrue(e.getMessage().contains("addresses element 7 of a storage of 6"), e.getMessage());
  }

  @Test
  void contiguityIgnoresStridesOfUnitDimensions() {
    assertTrue(StridedView.isContiguous(new long[] {1, 4}, new long[] {99, 1}));
    assertTrue(!StridedView.isContiguous(new long[] {4, 3}, new long[] {1, 4}));
    assertArrayEquals(new long[] {12, 4, 1}, StridedView.contiguousStrides(new long[] {2, 3, 4}));
  }
}

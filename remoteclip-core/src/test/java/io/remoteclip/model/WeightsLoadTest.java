package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.testing.BundledModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weights are read from the checkpoint file straight into the memory of new PyTorch tensors: every tensor
 * arrives with the values written (sizes up and down, every stored dtype), as from a state dict in memory.
 */
class WeightsLoadTest {
  @TempDir Path tmp;

  /** Tensors of shrinking and growing sizes and of every stored type, values known here. */
  private static StateDict mixed() {
    Random rng = new Random(11);
    Map<String, TensorData> m = new LinkedHashMap<>();
    int[] sizes = {1000, 7, 300, 1, 4096, 33};
    for (int i = 0; i < sizes.length; i++) {
      float[] v = new float[sizes[i]];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) rng.nextGaussian() * 3;
      }
      m.put("f32." + i, TensorData.ofFloats(v, sizes[i]));
      m.put("f16." + i, TensorData.ofFloats(v, sizes[i]).convertTo(DType.FLOAT16));
      m.put("bf16." + i, TensorData.ofFloats(v, sizes[i]).convertTo(DType.BFLOAT16));
      m.put("f64." + i, TensorData.ofFloats(v, sizes[i]).convertTo(DType.FLOAT64));
    }
    m.put("steps", new TensorData(DType.INT64, new long[] {}, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(0, 5_000_000_123L)));
    m.put("ints", TensorData.ofFloats(new float[] {-3, 0, 70000}, 3).convertTo(DType.INT32));
    return new StateDict(m, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mixed.pt", "mixed.safetensors"})
  void everyTensorOfAWrittenCheckpointArrivesWithItsValues(String name) throws Exception {
    StateDict expected = mixed();
    Path file = tmp.resolve(name);
    Checkpoints.write(file, expected);
    StateDict sd = Checkpoints.read(file);
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights w = Weights.load(sd, manager);
      assertEquals(expected.keys(), w.asMap().keySet());
      for (Map.Entry<String, TensorData> e : expected.asMap().entrySet()) {
        NDArray a = w.get(e.getKey());
        assertArrayEquals(e.getValue().shape(), a.getShape().getShape(), e.getKey());
        if (e.getValue().dtype().isFloatingPoint()) {
          assertEquals(DataType.FLOAT32, a.getDataType(), e.getKey());
          assertArrayEquals(e.getValue().toFloats(), Weights.read(a), e.getKey()); // fp16/bf16 widen exactly
        } else {
          assertEquals(DataType.INT64, a.getDataType(), e.getKey());
          long[] values = Weights.readLongs(a);
          float[] f = e.getValue().toFloats();
          for (int i = 0; i < f.length; i++) {
            assertEquals(e.getKey().equals("steps") ? 5_000_000_123L : (long) f[i], values[i], e.getKey());
          }
        }
      }
    }
  }

  @Test
  void theBundledModelLoadsFromItsFileAsFromMemory() throws Exception {
    StateDict stored = Checkpoints.read(BundledModel.weights());
    Map<String, TensorData> copies = new LinkedHashMap<>();
    stored.asMap().forEach((k, t) -> copies.put(k, new TensorData(t.dtype(), t.shape(), t.data())));
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights fromFile = Weights.load(stored, manager);
      Weights fromHeap = Weights.load(new StateDict(copies, null), manager);
      for (Map.Entry<String, TensorData> e : stored.asMap().entrySet()) {
        assertFalse(e.getValue().inMemory(), e.getKey());
        assertArrayEquals(Weights.read(fromHeap.get(e.getKey())), Weights.read(fromFile.get(e.getKey())), e.getKey());
      }
    }
  }
}

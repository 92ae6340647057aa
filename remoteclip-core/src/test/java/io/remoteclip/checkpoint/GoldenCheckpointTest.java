package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.npy.HalfFloats;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads the golden open_clip checkpoints and checks them against their keys.txt and each other. */
class GoldenCheckpointTest {
  /** One line of keys.txt: name, dtype, shape. */
  record KeyLine(String name, String dtype, long[] shape) {}

  static List<KeyLine> keys(Path keysTxt) throws Exception {
    List<KeyLine> out = new ArrayList<>();
    for (String line : Files.readAllLines(keysTxt)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      String dims = f[2].substring(1, f[2].length() - 1).trim();
      long[] shape = dims.isEmpty() ? new long[0] : Arrays.stream(dims.split(",")).map(String::trim)
          .mapToLong(Long::parseLong).toArray();
      out.add(new KeyLine(f[0], f[1], shape));
    }
    return out;
  }

  static void assertMatchesKeys(StateDict sd, List<KeyLine> expected, DType floatType) {
    assertEquals(expected.stream().map(KeyLine::name).toList(), List.copyOf(sd.keys()), "keys in file order");
    for (KeyLine k : expected) {
      TensorData t = sd.asMap().get(k.name());
      DType want = k.dtype().equals("int64") ? DType.INT64 : floatType;
      assertEquals(want, t.dtype(), k.name() + " dtype");
      assertArrayEquals(k.shape(), t.shape(), k.name() + " shape");
    }
  }

  static void assertSameBytes(StateDict expected, StateDict actual) {
    assertEquals(List.copyOf(expected.keys()), List.copyOf(actual.keys()));
    for (Map.Entry<String, TensorData> e : expected.asMap().entrySet()) {
      TensorData a = actual.asMap().get(e.getKey());
      assertEquals(e.getValue().dtype(), a.dtype(), e.getKey());
      assertArrayEquals(e.getValue().shape(), a.shape(), e.getKey());
      assertEquals(e.getValue().data(), a.data(), e.getKey() + " bytes");
    }
  }

  @Test
  void vitTinyPtMatchesKeysAndLogitScale() throws Exception {
    StateDict sd = PtCheckpointReader.read(Fixtures.require("golden/vit-tiny/model.pt"));
    assertEquals(62, sd.size());
    assertMatchesKeys(sd, keys(Fixtures.require("golden/vit-tiny/keys.txt")), DType.FLOAT32);
    float[] expected = Npy.read(Fixtures.require("golden/vit-tiny/logit_scale.npy")).floats();
    assertArrayEquals(expected, sd.get("logit_scale").toFloats(), 0f);
    assertEquals(0, sd.get("logit_scale").rank());
  }

  @Test
  void safetensorsEqualsPtBitForBit() throws Exception {
    StateDict pt = Checkpoints.read(Fixtures.require("golden/vit-tiny/model.pt"));
    StateDict st = Checkpoints.read(Fixtures.require("golden/vit-tiny/model.safetensors"));
    assertMatchesKeys(st, keys(Fixtures.require("golden/vit-tiny/keys.txt")), DType.FLOAT32);
    assertSameBytes(pt, st);
  }

  @Test
  void fp16FileIsTheFp32FileRoundedToHalf() throws Exception {
    StateDict fp32 = PtCheckpointReader.read(Fixtures.require("golden/vit-tiny/model.pt"));
    StateDict fp16 = PtCheckpointReader.read(Fixtures.require("golden/vit-tiny/model_fp16.pt"));
    assertMatchesKeys(fp16, keys(Fixtures.require("golden/vit-tiny/keys.txt")), DType.FLOAT16);
    for (String key : fp32.keys()) {
      float[] full = fp32.get(key).toFloats();
      float[] half = fp16.get(key).toFloats();
      for (int i = 0; i < full.length; i++) {
        // torch's .half() rounds to nearest even: the upcast value is the fp32 value rounded once
        float rounded = HalfFloats.halfToFloat(HalfFloats.floatToHalf(full[i]));
        assertEquals(rounded, half[i], 0f, key + "[" + i + "]");
        assertTrue(Math.abs(half[i] - full[i]) <= Math.max(Math.abs(full[i]) * 0x1p-11f, 0x1p-25f), key + "[" + i + "]");
      }
    }
  }

  @Test
  void rnTinyHasInt64ScalarBatchCounters() throws Exception {
    StateDict sd = PtCheckpointReader.read(Fixtures.require("golden/rn-tiny/model.pt"));
    assertEquals(153, sd.size());
    assertMatchesKeys(sd, keys(Fixtures.require("golden/rn-tiny/keys.txt")), DType.FLOAT32);
    List<Long> counters = new ArrayList<>();
    for (String k : sd.keys()) {
      if (k.endsWith("num_batches_tracked")) {
        TensorData t = sd.get(k);
        assertEquals(0, t.rank(), k);
        counters.add(t.data().getLong(0));
      }
    }
    assertTrue(counters.size() > 10, "counters: " + counters);
    for (int i = 0; i < counters.size(); i++) {
      assertEquals(1000L + i, counters.get(i), "num_batches_tracked #" + i);
    }
    float[] expected = Npy.read(Fixtures.require("golden/rn-tiny/logit_scale.npy")).floats();
    assertArrayEquals(expected, sd.get("logit_scale").toFloats(), 0f);
  }

  @Test
  void trainStepModelAfterHasStepOneLogitScale() throws Exception {
    StateDict before = PtCheckpointReader.read(Fixtures.require("golden/vit-tiny/model.pt"));
    StateDict after = PtCheckpointReader.read(Fixtures.require("golden/train_step/model_after.pt"));
    assertMatchesKeys(after, keys(Fixtures.require("golden/vit-tiny/keys.txt")), DType.FLOAT32);
    float[] perStep = Npy.read(Fixtures.require("golden/train_step/logit_scale_5steps.npy")).floats();
    assertEquals(perStep[0], after.get("logit_scale").toFloats()[0], 0f);
    ByteBuffer b = before.get("visual.proj").data();
    assertNotEquals(b, after.get("visual.proj").data(), "one AdamW step changes every trained tensor");
  }
}

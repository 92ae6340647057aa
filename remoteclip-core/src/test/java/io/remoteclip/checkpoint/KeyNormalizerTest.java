package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.UnsupportedFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrappers ({@code state_dict}, {@code model}) and DDP {@code module.} prefixes, in hand-built pickles. */
class KeyNormalizerTest {
  @TempDir Path tmp;

  private Path zip(String name, byte[] pickle) throws Exception {
    return PickleBytes.torchZip(tmp.resolve(name), pickle,
        Map.of("data/0", PickleBytes.floats(1, 2), "data/1", PickleBytes.floats(3, 4, 5)));
  }

  @Test
  void unwrapsStateDictAndStripsModulePrefix() throws Exception {
    // {"epoch": 3, "state_dict": {"module.visual.proj": t0, "module.logit_scale": t1}}
    byte[] pickle = PickleBytes.proto2().op('}', '(').str("epoch").int1(3).str("state_dict")
        .op('}', '(').str("module.visual.proj").floatTensor("0", 2).str("module.logit_scale").floatTensor("1", 3)
        .op('u', 'u', '.').bytes();
    StateDict sd = Checkpoints.read(zip("ddp.pt", pickle));
    assertEquals(List.of("visual.proj", "logit_scale"), List.copyOf(sd.keys()));
    assertArrayEquals(new float[] {3, 4, 5}, sd.get("logit_scale").toFloats());
  }

  @Test
  void unwrapsASingleNestedDictOfTensors() throws Exception {
    // {"model": {"a": t0}, "optimizer": {"lr": 0.001}, "step": 10}
    byte[] pickle = PickleBytes.proto2().op('}', '(').str("model").op('}', '(').str("a").floatTensor("0", 2).op('u')
        .str("optimizer").op('}').str("lr").op('G', 0x3f, 0x50, 0x62, 0x4d, 0xd2, 0xf1, 0xa9, 0xfc).op('s')
        .str("step").int1(10).op('u', '.').bytes();
    StateDict sd = Checkpoints.read(zip("wrapped.pt", pickle));
    assertEquals(List.of("a"), List.copyOf(sd.keys()));
  }

  @Test
  void keepsPrefixWhenNotEveryKeyHasIt() {
    Map<String, TensorData> m = new java.util.LinkedHashMap<>();
    m.put("module.a", TensorData.ofFloats(new float[] {1}, 1));
    m.put("b", TensorData.ofFloats(new float[] {1}, 1));
    assertEquals(m.keySet(), KeyNormalizer.stripModulePrefix(m).keySet());
  }

  @Test
  void twoCandidateDictsAreAmbiguous() throws Exception {
    byte[] pickle = PickleBytes.proto2().op('}', '(').str("model").op('}').str("a").floatTensor("0", 2).op('s')
        .str("ema").op('}').str("a").floatTensor("1", 3).op('s').op('u', '.').bytes();
    Path file = zip("two.pt", pickle);
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Checkpoints.read(file));
    assertTrue(e.getMessage().contains("dict with keys [model=dict, ema=dict]"), e.getMessage());
  }
}

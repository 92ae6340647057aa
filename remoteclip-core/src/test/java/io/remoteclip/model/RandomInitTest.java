package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.StateDict;
import org.junit.jupiter.api.Test;

/** Random initialisation: every open_clip tensor present, reproducible per seed, and the model runs. */
class RandomInitTest {
  @Test
  void smallCustomArchitecturesInitialiseAndEncode() throws Exception {
    for (String spec : new String[] {"vit:width=64,layers=2,patch=32,text-width=64,text-layers=2,embed=32",
        "rn:width=16,layers=1-1-1-1,text-width=64,text-layers=1,embed=32"}) {
      ClipConfig cfg = Architectures.parse(spec, 0);
      StateDict a = ClipInit.random(cfg, 7);
      StateDict b = ClipInit.random(cfg, 7);
      assertEquals(ClipLayout.expectedShapes(cfg).keySet(), a.keys());
      assertArrayEquals(a.get("token_embedding.weight").toFloats(), b.get("token_embedding.weight").toFloats());
      ClipConfig inferred = ClipConfigs.infer(a, null, null);
      assertEquals(cfg.vision(), inferred.vision(), spec);
      try (ClipModel model = ClipModel.load(a, cfg, "random")) {
        float[][] img = model.encodeImages(new float[2 * 3 * 224 * 224], 2);
        assertEquals(32, img[0].length);
        long[][] tokens = new long[1][77];
        tokens[0][0] = 49406;
        tokens[0][1] = 49407;
        assertEquals(32, model.encodeTexts(tokens)[0].length);
      }
    }
  }

  @Test
  void releasedArchitecturesHaveTheReleasedParameterCounts() throws Exception {
    // open_clip: ViT-B-32 151,277,313 parameters, RN50 102,007,137 (without BN running statistics)
    assertEquals(151_277_313L, parameters(Architectures.parse("ViT-B-32", 0)));
    assertEquals(102_007_137L, parameters(Architectures.parse("RN50", 0)));
  }

  @Test
  void customArchitecturesTooLargeToAllocateAreRefusedFromTheirNumbers() {
    ModelConfigException huge = assertThrows(ModelConfigException.class,
        () -> Architectures.parse("vit:width=2000000000,layers=1,patch=32", 0));
    assertTrue(huge.getMessage().contains("width=2000000000 (each number must be 1..65536)"), huge.getMessage());
    ModelConfigException big = assertThrows(ModelConfigException.class,
        () -> Architectures.parse("vit:width=8192,layers=64,patch=32,text-width=512,text-layers=1,embed=32", 0));
    assertTrue(big.getMessage().endsWith("more than the 2000 million a custom model may have"), big.getMessage());
    assertThrows(ModelConfigException.class, () -> Architectures.parse("vit:width=64,layers=0,patch=32", 0));
    assertThrows(ModelConfigException.class, () -> Architectures.parse("vit:width=64,layers=1,patch=448", 0));
  }

  private static long parameters(ClipConfig c) {
    return ClipLayout.expectedShapes(c).entrySet().stream()
        .filter(e -> !e.getKey().contains("running_") && !e.getKey().endsWith("num_batches_tracked"))
        .mapToLong(e -> io.remoteclip.checkpoint.TensorData.numel(e.getValue()))
        .sum();
  }
}

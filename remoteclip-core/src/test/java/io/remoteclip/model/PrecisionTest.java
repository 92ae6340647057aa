package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrecisionTest {
  @Test
  void parsesCliSpellings() {
    assertEquals(Precision.FP32, Precision.parse("fp32"));
    assertEquals(Precision.FP32, Precision.parse("Float32"));
    assertEquals(Precision.BF16, Precision.parse("bf16"));
    assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
  }

  @Test
  void bf16IsRefusedBeforeAnyTensorExists() throws Exception {
    // creating a bfloat16 tensor through DJL 0.36 aborts the JVM; the load must fail as an exception instead
    ClipConfig cfg = Architectures.parse("vit:width=64,layers=1,patch=32,text-width=64,text-layers=1,embed=32,vocab=1000", 0);
    var e = assertThrows(UnsupportedOperationException.class,
        () -> ClipModel.load(ClipInit.random(cfg, 0), cfg, "tiny", Precision.BF16));
    assertEquals(Precision.BF16_UNAVAILABLE, e.getMessage());
    assertNull(Precision.FP32.unavailableReason());
  }
}

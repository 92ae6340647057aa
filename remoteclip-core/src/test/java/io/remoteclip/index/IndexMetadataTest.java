package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.encode.EncoderId;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.model.Activation;
import io.remoteclip.model.Precision;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexMetadataTest {
  private final EncoderId base = EncoderId.of("tiny@sha256:abcd", Activation.QUICK_GELU, Precision.FP32,
      PreprocessConfig.openAi(32), null, null);

  @Test
  void anEncoderWithOtherBandsIsRefusedInOneLineNamingBoth() throws Exception {
    EncoderId built = base.withBands(BandSelection.parse("3,2,1:0:3000"));
    EncoderId now = base.withBands(BandSelection.parse("0,1,2:0:3000"));
    IndexMetadata meta = IndexMetadata.fromUserData(new IndexMetadata(built, 64, "tiny", null).toUserData());
    assertEquals(built, meta.encoderId());
    meta.check(built, Path.of("idx")); // the same encoder is welcome
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> meta.check(now, Path.of("idx")));
    assertEquals(1, e.getMessage().lines().count());
    assertTrue(e.getMessage().startsWith("idx: index was built with encoder " + built + ", this run uses " + now
        + " (bands 3,2,1:"), e.getMessage());
  }

  @Test
  void indexesFromBeforeEncoderIdsCompareOnWeightsActivationAndPrecision() throws Exception {
    IndexMetadata old = IndexMetadata.fromUserData(Map.of(IndexMetadata.MODEL_ID, "tiny@sha256:abcd#quickgelu",
        IndexMetadata.DIMENSION, "64"));
    old.check(base, Path.of("old"));
    old.check(base.withBands(BandSelection.parse("3,2,1:0:3000")), Path.of("old")); // format 1 did not record bands
    EncoderId gelu = EncoderId.of("tiny@sha256:abcd", Activation.GELU, Precision.FP32, PreprocessConfig.openAi(32), null, null);
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> old.check(gelu, Path.of("old")));
    assertTrue(e.getMessage().startsWith("old: index was built with encoder tiny@sha256:abcd#quickgelu, this run uses "
        + gelu + ";"), e.getMessage());
  }
}

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
import org.junit.jupiter.api.Test;

class IndexMetadataTest {
  private final EncoderId base = EncoderId.of("tiny@sha256:abcd", Activation.QUICK_GELU, Precision.FP32,
      PreprocessConfig.openAi(32), null, null);

  @Test
  void anEncoderWithOtherBandsIsRefusedInOneLineNamingBoth() throws Exception {
    EncoderId built = base.withBands(BandSelection.parse("3,2,1:0:3000"));
    EncoderId now = base.withBands(BandSelection.parse("0,1,2:0:3000"));
    IndexMetadata meta = IndexMetadata.fromUserData(Path.of("idx"), IndexMetadata.of(built.toString(), 64).toUserData());
    assertEquals(built, meta.encoderId());
    meta.check("idx", built.toString()); // the same encoder is welcome
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> meta.check("idx", now.toString()));
    assertEquals(1, e.getMessage().lines().count());
    assertTrue(e.getMessage().startsWith("idx: index was built with encoder " + built + ", this run uses " + now
        + " (bands 3,2,1:"), e.getMessage());
    // Ids that are not encoder ids (indexes filled from embeddings) compare as strings.
    assertThrows(ModelMismatchException.class, () -> IndexMetadata.of("model-a", 64).check("idx", "model-b"));
  }

  @Test
  void indexesFromBeforeEncoderIdsCompareOnWeightsActivationAndPrecision() throws Exception {
    IndexMetadata old = IndexMetadata.of("tiny@sha256:abcd#quickgelu", 64);
    old.check("old", base.toString());
    old.check("old", base.withBands(BandSelection.parse("3,2,1:0:3000")).toString()); // such ids did not record bands
    EncoderId gelu = EncoderId.of("tiny@sha256:abcd", Activation.GELU, Precision.FP32, PreprocessConfig.openAi(32), null, null);
    ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> old.check("old", gelu.toString()));
    assertTrue(e.getMessage().startsWith("old: index was built with encoder tiny@sha256:abcd#quickgelu, this run uses "
        + gelu + ";"), e.getMessage());
  }
}

package io.remoteclip.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.image.BandSelection;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.model.Activation;
import io.remoteclip.model.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderIdTest {
  private static final String WEIGHTS = "RemoteCLIP-ViT-B-32@sha256:0123456789abcdef";
  private final EncoderId plain = EncoderId.of(WEIGHTS, Activation.QUICK_GELU, Precision.FP32, PreprocessConfig.openAi(),
      null, "ffeeddccbbaa99887766554433221100");

  @Test
  void stringFormIsStableAndReadsBack() {
    assertEquals(WEIGHTS + "|activation=quickgelu|precision=fp32|preprocess=224:bicubic:mean=0.48145467,0.4578275,"
        + "0.40821072:std=0.26862955,0.2613026,0.2757771|bands=none|vocab=sha256:ffeeddccbbaa9988", plain.toString());
    assertEquals(plain, EncoderId.parse(plain.toString()));
    EncoderId banded = plain.withBands(BandSelection.parse("3,2,1:0:3000"));
    assertEquals(banded, EncoderId.parse(banded.toString()));
    // A path with '|' and '#' in the weights part survives too.
    EncoderId odd = new EncoderId("/data/m|1#x.pt@12:34", "gelu", "fp32", "224:bicubic:mean=0,0,0:std=1,1,1", null, null);
    assertEquals(odd, EncoderId.parse(odd.toString()));
    assertEquals("none", odd.bands());
  }

  /** A SigLIP's id names its family (a CLIP's string form is unchanged, so older indexes keep their id). */
  @Test
  void familyIsPartOfTheIdentity() throws Exception {
    EncoderId siglip = plain.withFamily(io.remoteclip.model.ModelFamily.SIGLIP);
    assertEquals(plain.toString() + "|family=siglip", siglip.toString());
    assertEquals(siglip, EncoderId.parse(siglip.toString()));
    assertEquals("clip", EncoderId.parse(plain.toString()).family());
    assertEquals(plain, plain.withFamily(io.remoteclip.model.ModelFamily.CLIP));
    assertEquals(List.of("family siglip vs clip"), siglip.differences(plain));
    io.remoteclip.index.IndexMetadata index = new io.remoteclip.index.IndexMetadata(siglip.toString(), 768, null, null, null);
    io.remoteclip.index.ModelMismatchException e = assertThrows(io.remoteclip.index.ModelMismatchException.class,
        () -> index.check("idx", plain.toString()));
    assertTrue(e.getMessage().contains("(family siglip vs clip)"), e.getMessage());
  }

  @Test
  void bandsMakeAnotherEncoder() {
    EncoderId a = plain.withBands(BandSelection.parse("3,2,1:0:3000"));
    EncoderId b = plain.withBands(BandSelection.parse("0,1,2:0:3000"));
    assertNotEquals(a, b);
    assertEquals(List.of("bands 3,2,1:0.0:3000.0,0.0:3000.0,0.0:3000.0 vs 0,1,2:0.0:3000.0,0.0:3000.0,0.0:3000.0"),
        a.differences(b));
    assertEquals(List.of(), a.differences(EncoderId.parse(a.toString())));
  }

  @Test
  void legacyModelIdsAreNotEncoderIds() {
    assertEquals(WEIGHTS + "#quickgelu", plain.legacyModelId());
    assertFalse(EncoderId.isEncoderId(WEIGHTS + "#quickgelu"));
    assertTrue(EncoderId.isEncoderId(plain.toString()));
    assertThrows(IllegalArgumentException.class, () -> EncoderId.parse(WEIGHTS + "|activation=gelu"));
    assertNull(io.remoteclip.index.IndexMetadata.of(WEIGHTS + "#quickgelu", 512).encoderId());
  }
}

package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SigLIP towers on open_clip's state dict (golden siglip-tiny/model.pt, made by open_clip 3.3 with a timm
 * 1.0.29 trunk): every intermediate activation, the features and the sigmoid logits, in both activations.
 */
class SiglipGoldenTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"gelu", "gelutanh"})
  void openClipStateDictMatchesEveryActivation(String variant) throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("open_clip_config.json")),
        variant.equals("gelu") ? null : Activation.GELU_TANH);
    assertEquals(ModelFamily.SIGLIP, cfg.family());
    assertEquals(new SiglipVisionConfig(64, 2, 4, 32, 256, 256), cfg.vision());
    assertEquals(new TextConfig(64, 2, 4, 64, 32000, 256), cfg.text());
    try (ClipModel model = ClipModel.load(sd, cfg, "siglip-tiny")) {
      SiglipGolden.assertMatches(model, dir, variant);
    }
  }

  /** The other GELU is 20 times the tolerance away: the variants are told apart, not matched loosely. */
  @org.junit.jupiter.api.Test
  void theOtherActivationMisses() throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("open_clip_config.json")),
        Activation.GELU_TANH);
    try (ClipModel model = ClipModel.load(sd, cfg, "siglip-tiny")) {
      float[][] img = model.encodeImages(Npy.read(dir.resolve("images.npy")).floats(), 4);
      double rel = Tolerances.relativeError(SiglipGolden.flat(img), Npy.read(dir.resolve("image_features_gelu.npy")).floats());
      org.junit.jupiter.api.Assertions.assertTrue(rel > 10 * Tolerances.FEATURES_FP32, "tanh vs erf GELU differ by " + rel);
    }
  }

}

package io.remoteclip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ClipModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A SigLIP's label scores are each label's sigmoid of exp(logit_scale)·cos + logit_bias: with the golden texts as
 * labels they are the fixture's {@code probs_per_image} (open_clip's {@code SigLipLoss.get_logits}, sigmoid).
 */
class SigmoidScoresGoldenTest {
  @Test
  void siglipScoresAreTheGoldenSigmoidProbabilities() throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("open_clip_config.json")), null);
    try (ClipModel model = ClipModel.load(sd, cfg, "siglip-tiny")) {
      float[][] labels = model.encodeTexts(SiglipGolden.tokens(dir.resolve("tokens.npy")));
      float[][] images = model.encodeImages(Npy.read(dir.resolve("images.npy")).floats(), 4);
      ZeroShotClassifier classifier = ZeroShotClassifier.of(labels, model);
      assertEquals("sigmoid", classifier.scores());
      float[][] probs = new float[images.length][];
      for (int i = 0; i < images.length; i++) {
        probs[i] = classifier.probabilities(images[i]);
      }
      Tolerances.assertRelative("sigmoid scores", SiglipGolden.flat(probs),
          Npy.read(dir.resolve("probs_per_image_gelu.npy")).floats(), Tolerances.FEATURES_FP32);
    }
  }
}

package io.remoteclip.eval.transductive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The solver's text prior for a SigLIP: at the model's exp(logit_scale) it is the softmax over the labels of the
 * logits open_clip computed for ../shared/golden/siglip-tiny (its bias cancels); at CLIP's 100 it is not.
 */
class SiglipTextScaleTest {
  private static final int CLASSES = 4;

  @Test
  void textPriorAtTheModelsScaleIsTheSoftmaxOfItsLogits() throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    float[][] images = SiglipGolden.rows(Npy.read(dir.resolve("image_features_norm_gelutanh.npy")).floats(), 4);
    float[][] texts = SiglipGolden.rows(Npy.read(dir.resolve("text_features_norm_gelutanh.npy")).floats(), 14);
    texts = java.util.Arrays.copyOf(texts, CLASSES);
    float[][] logits = SiglipGolden.rows(Npy.read(dir.resolve("logits_per_image_gelutanh.npy")).floats(), 4);
    double scale = Math.exp(Npy.read(dir.resolve("logit_scale.npy")).floats()[0]);
    assertEquals(8.216007, scale, 1e-6);

    TransClipResult siglip = TransClip.solve(images, texts, TransClipOptions.reference().withTextScale(scale));
    TransClipResult clip = TransClip.solve(images, texts, TransClipOptions.reference());
    double worstAtScale = 0;
    double worstAt100 = 0;
    for (int i = 0; i < images.length; i++) {
      double[] want = softmax(logits[i], CLASSES);
      for (int c = 0; c < CLASSES; c++) {
        worstAtScale = Math.max(worstAtScale, Math.abs(siglip.textProbabilities()[i][c] - want[c]));
        worstAt100 = Math.max(worstAt100, Math.abs(clip.textProbabilities()[i][c] - want[c]));
      }
    }
    assertTrue(worstAtScale < 1e-5, "max |prior - softmax(golden logits)| = " + worstAtScale);
    assertTrue(worstAt100 > 0.05, "CLIP's scale should give another prior, max diff " + worstAt100);
  }

  private static double[] softmax(float[] logits, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      max = Math.max(max, logits[c]);
    }
    double[] p = new double[n];
    double sum = 0;
    for (int c = 0; c < n; c++) {
      p[c] = Math.exp(logits[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < n; c++) {
      p[c] /= sum;
    }
    return p;
  }
}

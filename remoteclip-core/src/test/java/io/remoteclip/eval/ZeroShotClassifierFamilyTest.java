package io.remoteclip.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.model.ModelFamily;
import org.junit.jupiter.api.Test;

/** Label scores by family from a classifier's parts, as a Spark executor rebuilds it: softmax (CLIP) or sigmoid (SigLIP). */
class ZeroShotClassifierFamilyTest {
  private static final float[][] CLASSES = {{1, 0, 0}, {0.6f, 0.8f, 0}, {0, 0, 1}};
  private static final float[] IMAGE = {3, 4, 0}; // cosines 0.6, 1, 0

  @Test
  void siglipScoresEachLabelWithItsOwnSigmoid() {
    ZeroShotClassifier z = ZeroShotClassifier.of(CLASSES, 10f, -5f, ModelFamily.SIGLIP);
    assertEquals("sigmoid", z.scores());
    double[] cos = {0.6, 1.0, 0};
    float[] expected = new float[3];
    for (int c = 0; c < 3; c++) {
      expected[c] = (float) (1 / (1 + Math.exp(-(10 * cos[c] - 5))));
    }
    assertArrayEquals(expected, z.probabilities(IMAGE), 1e-6f);
    ZeroShotClassifier rebuilt = ZeroShotClassifier.of(z.classVectors(), z.scale(), z.bias(), z.family());
    assertArrayEquals(z.probabilities(IMAGE), rebuilt.probabilities(IMAGE), 0f);
  }

  @Test
  void clipScoresAreASoftmaxOverTheLabels() {
    float[] p = ZeroShotClassifier.of(CLASSES, 10f, 0f, ModelFamily.CLIP).probabilities(IMAGE);
    double sum = Math.exp(6) + Math.exp(10) + Math.exp(0);
    assertArrayEquals(new float[] {(float) (Math.exp(6) / sum), (float) (Math.exp(10) / sum), (float) (1 / sum)}, p, 1e-6f);
  }
}

package io.remoteclip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Retrieval recalls against hand computations. */
class RetrievalTest {
  /** Unit vector at angle a (radians) in 2-d: similarity between two of them is cos(a - b). */
  private static float[] at(double a) {
    return new float[] {(float) Math.cos(a), (float) Math.sin(a)};
  }

  @Test
  void severalCaptionsPerImage() {
    // Images at 0, 1, 2 rad. Captions: image 0 has captions at 0.1 and 2.1 (the second is closest to
    // image 2), image 1 has 1.6 (closest to image 2), image 2 has 2.0.
    float[][] images = {at(0), at(1), at(2)};
    float[][] texts = {at(0.1), at(2.1), at(1.6), at(2.0)};
    int[] owner = {0, 0, 1, 2};
    RetrievalMetrics m = Retrieval.evaluate(images, texts, owner);
    // Text→image: caption 0 → image 0 rank 0 ✓; caption 1 → image 0 is last (rank 2);
    // caption 2 → images ranked 2 (|0.4|), 1 (|0.6|), 0: image 1 rank 1; caption 3 → image 2 rank 0.
    assertEquals(50.0, m.t2iR1(), 1e-12);
    assertEquals(100.0, m.t2iR5(), 1e-12); // K = 5 > 3 images: whole gallery
    assertEquals(100.0, m.t2iR10(), 1e-12);
    // Image→text: image 0 best caption is caption 0 (rank 0) ✓. Image 1: captions by distance 0.6 (c2),
    // 0.9 (c0), 1.0 (c3), 1.1 (c1) → its caption c2 at rank 0 ✓. Image 2: c3 (0.0), c1 (0.1), c2 (0.4) → ✓.
    assertEquals(100.0, m.i2tR1(), 1e-12);
    assertEquals((50 + 100 + 100 + 100 + 100 + 100) / 6.0, m.meanRecall(), 1e-12);
  }

  @Test
  void imageToTextMissWhenAllCaptionsAreBeatenByOthers() {
    float[][] images = {at(0), at(1.0)};
    // Image 1's only caption is at 0.0 (closest to image 0); image 0's captions at 0.05 and 0.3.
    float[][] texts = {at(0.05), at(0.3), at(0.0)};
    int[] owner = {0, 0, 1};
    RetrievalMetrics m = Retrieval.evaluate(images, texts, owner);
    // Image 0 ranks captions: c2 (0.0, image 1's), c0 (0.05), c1 (0.3) → its best own caption at rank 1.
    // Image 1 ranks captions: c1 (0.7), c0 (0.95), c2 (1.0) → own caption at rank 2. Both miss at K = 1.
    assertEquals(0.0, m.i2tR1(), 1e-12);
    assertEquals(100.0, m.i2tR5(), 1e-12);
    // Text→image: c0 → image 0 ✓, c1 → image 0 (0.3 vs 0.7) ✓, c2 → image 0 first, image 1 rank 1 ✗.
    assertEquals(200.0 / 3, m.t2iR1(), 1e-12);
  }

  @Test
  void tiesAreOrderedByGalleryIndex() {
    // Two identical images; captions identical too: every score ties.
    float[][] images = {at(0), at(0)};
    float[][] texts = {at(0), at(0)};
    int[] owner = {0, 1};
    RetrievalMetrics m = Retrieval.evaluate(images, texts, owner);
    // Text→image: both texts rank image 0 first: caption 0 ✓, caption 1 ✗ at K=1.
    assertEquals(50.0, m.t2iR1(), 1e-12);
    assertEquals(100.0, m.t2iR5(), 1e-12);
    // Image→text: both images rank caption 0 first: image 0 ✓, image 1 ✗ at K=1.
    assertEquals(50.0, m.i2tR1(), 1e-12);
  }

  @Test
  void twelveImageGalleryWithScaledCaptions() {
    // Images at 0.1·i rad; caption i at 0.1·i + 0.33 (scaled by 5: scores use normalised rows).
    // Images j with 0 < 0.1·(j − i) < 0.66 beat image i for caption i: rank = min(6, 11 − i).
    // Captions j with 0 < 0.1·(i − j) < 0.66 beat caption i for image i: rank = min(6, i).
    // All distances differ by ≥ 0.03 rad, so there are no ties.
    int n = 12;
    float[][] images = new float[n][];
    float[][] texts = new float[n][];
    int[] owner = new int[n];
    for (int i = 0; i < n; i++) {
      images[i] = at(i * 0.1);
      float[] t = at(i * 0.1 + 0.33);
      texts[i] = new float[] {5 * t[0], 5 * t[1]};
      owner[i] = i;
    }
    RetrievalMetrics m = Retrieval.evaluate(images, texts, owner);
    assertEquals(100.0 / 12, m.t2iR1(), 1e-12); // only i = 11 (rank 0)
    assertEquals(100.0 * 5 / 12, m.t2iR5(), 1e-12); // i = 7..11
    assertEquals(100.0, m.t2iR10(), 1e-12);
    assertEquals(100.0 / 12, m.i2tR1(), 1e-12); // only i = 0
    assertEquals(100.0 * 5 / 12, m.i2tR5(), 1e-12); // i = 0..4
    assertEquals(100.0, m.i2tR10(), 1e-12);
    assertEquals((2 * 100.0 / 12 + 2 * 500.0 / 12 + 200) / 6, m.meanRecall(), 1e-12);
  }

  @Test
  void rejectsCaptionOfMissingImage() {
    assertThrows(IllegalArgumentException.class,
        () -> Retrieval.evaluate(new float[][] {at(0)}, new float[][] {at(0)}, new int[] {1}));
  }

  @Test
  void capitalizeIsPythonSemantics() {
    assertEquals("There is a piece of farmland", Captions.capitalize("there is A Piece of Farmland"));
    assertEquals("  two planes", Captions.capitalize("  Two planes"));
    assertEquals("", Captions.capitalize(""));
    assertEquals("ǅemal", Captions.capitalize("ǆEMAL")); // title case, as Python
  }
}

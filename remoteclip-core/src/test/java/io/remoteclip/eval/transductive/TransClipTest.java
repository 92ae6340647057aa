package io.remoteclip.eval.transductive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.eval.transductive.TransClipInputException.Input;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransClipTest {
  private static final TransClipOptions REFERENCE = TransClipOptions.reference();

  /**
   * Five tight clusters around random unit centres in 32 dimensions. Each class's text vector is its
   * centre plus a large shared offset (a "modality gap", which makes the text predictions soft, as CLIP's
   * are) and a large class-specific error, so zero-shot alone misplaces many images while the clusters
   * themselves are clear.
   */
  static Problem clusters(long seed) {
    Random rnd = new Random(seed);
    int dim = 32;
    int classes = 5;
    float[][] centres = gaussianUnitRows(rnd, classes, dim);
    float[] gap = gaussianUnitRows(rnd, 1, dim)[0];
    float[][] error = gaussianUnitRows(rnd, classes, dim);
    float[][] x = new float[300][dim];
    int[] labels = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      labels[i] = i % classes;
      for (int p = 0; p < dim; p++) {
        x[i][p] = centres[labels[i]][p] + (float) (0.1 * rnd.nextGaussian());
      }
    }
    float[][] t = new float[classes][dim];
    for (int c = 0; c < classes; c++) {
      for (int p = 0; p < dim; p++) {
        t[c][p] = 30 * gap[p] + centres[c][p] + 2.5f * error[c][p];
      }
    }
    return new Problem(x, t, labels);
  }

  private static float[][] gaussianUnitRows(Random rnd, int n, int dim) {
    float[][] m = new float[n][dim];
    for (float[] row : m) {
      double s = 0;
      for (int p = 0; p < dim; p++) {
        row[p] = (float) rnd.nextGaussian();
        s += row[p] * row[p];
      }
      for (int p = 0; p < dim; p++) {
        row[p] /= (float) Math.sqrt(s);
      }
    }
    return m;
  }

  record Problem(float[][] images, float[][] texts, int[] labels) {
    double accuracy(int[] predicted) {
      int ok = 0;
      for (int i = 0; i < labels.length; i++) {
        ok += predicted[i] == labels[i] ? 1 : 0;
      }
      return 100.0 * ok / labels.length;
    }
  }

  @Test
  void agreesWithAPlainDenseImplementation() throws Exception {
    Problem p = clusters(11);
    TransClipResult r = TransClip.solve(p.images, p.texts, REFERENCE);
    double[][] dense = DenseTransClip.assignments(p.images, p.texts, 3);
    double worst = 0;
    for (int i = 0; i < dense.length; i++) {
      for (int c = 0; c < dense[i].length; c++) {
        worst = Math.max(worst, Math.abs(dense[i][c] - r.assignments()[i][c]));
      }
    }
    assertTrue(worst < 1e-4, "largest difference " + worst);
  }

  @Test
  void usesTheBatchStructureWhereTextAloneIsConfused() throws Exception {
    double gain = 0;
    for (int seed = 1; seed <= 8; seed++) {
      Problem p = clusters(seed);
      TransClipResult r = TransClip.solve(p.images, p.texts, REFERENCE);
      double inductive = p.accuracy(r.textPredictions());
      double transductive = p.accuracy(r.predictions());
      System.out.printf("synthetic clusters, seed %d: inductive %.1f %%, transductive %.1f %%%n", seed, inductive,
          transductive);
      assertTrue(transductive > inductive, "seed " + seed);
      gain += (transductive - inductive) / 8;
      for (float[] row : r.assignments()) {
        double sum = 0;
        for (float v : row) {
          sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
      }
    }
    assertTrue(gain > 5, "mean gain " + gain);
  }

  @Test
  void sameResultForAnyNumberOfThreads() throws Exception {
    float[][] x = KnnGraphTest.randomUnitRows(2, 5_000, 48);
    float[][] t = KnnGraphTest.randomUnitRows(3, 7, 48);
    TransClipResult one = TransClip.solve(x, t, REFERENCE.withThreads(1));
    TransClipResult four = TransClip.solve(x, t, REFERENCE.withThreads(4));
    for (int i = 0; i < x.length; i++) {
      assertArrayEquals(one.assignments()[i], four.assignments()[i], 0f, "row " + i);
    }
  }

  @Test
  void badInputsAreReportedInOneLine() {
    float[][] t = KnnGraphTest.randomUnitRows(3, 5, 8);
    TransClipInputException few = assertThrows(TransClipInputException.class,
        () -> TransClip.solve(KnnGraphTest.randomUnitRows(1, 4, 8), t, REFERENCE));
    assertEquals("transductive zero-shot needs at least as many images as classes: 4 image(s), 5 classes",
        few.getMessage());
    assertEquals(Input.IMAGES, few.input());

    TransClipInputException dims = assertThrows(TransClipInputException.class,
        () -> TransClip.solve(KnnGraphTest.randomUnitRows(1, 40, 6), t, REFERENCE));
    assertEquals("class embeddings have dimension 8 but image embeddings have 6", dims.getMessage());
    assertEquals(Input.CLASSES, dims.input());

    float[][] x = KnnGraphTest.randomUnitRows(1, 40, 8);
    x[17][3] = Float.NaN;
    assertEquals("image embedding row 17 is not finite (NaN or infinity)",
        assertThrows(TransClipInputException.class, () -> TransClip.solve(x, t, REFERENCE)).getMessage());
    x[17] = new float[8];
    assertEquals("image embedding row 17 is all zeros",
        assertThrows(TransClipInputException.class, () -> TransClip.solve(x, t, REFERENCE)).getMessage());

    float[][] badClass = KnnGraphTest.randomUnitRows(3, 5, 8);
    badClass[2][0] = Float.POSITIVE_INFINITY;
    assertEquals("class embedding row 2 is not finite (NaN or infinity)", assertThrows(TransClipInputException.class,
        () -> TransClip.solve(KnnGraphTest.randomUnitRows(1, 40, 8), badClass, REFERENCE)).getMessage());

    assertEquals("transductive zero-shot needs more images than its 3 neighbours per image: 3 image(s)",
        assertThrows(TransClipInputException.class, () -> TransClip.solve(KnnGraphTest.randomUnitRows(1, 3, 8),
            KnnGraphTest.randomUnitRows(3, 2, 8), REFERENCE)).getMessage());
  }
}

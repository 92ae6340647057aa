package io.remoteclip.eval.transductive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KnnGraphTest {
  static float[][] randomUnitRows(long seed, int n, int dim) {
    Random rnd = new Random(seed);
    float[][] x = new float[n][dim];
    for (float[] row : x) {
      double s = 0;
      for (int p = 0; p < dim; p++) {
        row[p] = (float) rnd.nextGaussian();
        s += row[p] * row[p];
      }
      for (int p = 0; p < dim; p++) {
        row[p] /= (float) Math.sqrt(s);
      }
    }
    return x;
  }

  /** Several column blocks (width 256 at this dimension), a ragged last block and a partial last tile. */
  @Test
  void equalsBruteForceAndDoesNotDependOnThreads() {
    float[][] x = randomUnitRows(7, 1_037, 40);
    int k = 5;
    KnnGraph one = KnnGraph.exact(x, k, 1);
    KnnGraph three = KnnGraph.exact(x, k, 3);
    for (int i = 0; i < x.length; i++) {
      final int row = i;
      double[] sim = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        for (int p = 0; p < x[0].length; p++) {
          sim[j] += (double) x[i][p] * x[j][p];
        }
      }
      Integer[] order = IntStream.range(0, x.length).filter(j -> j != row).boxed()
          .sorted(Comparator.comparingDouble((Integer j) -> -sim[j]).thenComparingInt(j -> j)).toArray(Integer[]::new);
      for (int m = 0; m < k; m++) {
        assertEquals(order[m], one.neighbor(i, m), "row " + i + " neighbour " + m);
        assertEquals(sim[order[m]], one.weight(i, m), 1e-5);
        assertEquals(one.neighbor(i, m), three.neighbor(i, m));
        assertEquals(Float.floatToIntBits(one.weight(i, m)), Float.floatToIntBits(three.weight(i, m)));
      }
    }
  }

  /** Equal similarities go to the smaller index, whichever worker found them. */
  @Test
  void tiesGoToTheSmallerIndex() {
    float[][] x = new float[600][];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 2 == 0 ? new float[] {1, 0} : new float[] {0, 1};
    }
    KnnGraph g = KnnGraph.exact(x, 3, 4);
    assertEquals(Arrays.asList(2, 4, 6), Arrays.asList(g.neighbor(0, 0), g.neighbor(0, 1), g.neighbor(0, 2)));
    assertEquals(Arrays.asList(0, 2, 4), Arrays.asList(g.neighbor(598, 0), g.neighbor(598, 1), g.neighbor(598, 2)));
    assertEquals(Arrays.asList(1, 3, 5), Arrays.asList(g.neighbor(599, 0), g.neighbor(599, 1), g.neighbor(599, 2)));
  }

  @Test
  void symmetricProductAddsOutgoingAndIncomingEdges() {
    float[][] x = randomUnitRows(3, 50, 8);
    KnnGraph g = KnnGraph.exact(x, 3, 2);
    double[][] dense = new double[50][50];
    for (int i = 0; i < 50; i++) {
      for (int m = 0; m < 3; m++) {
        dense[i][g.neighbor(i, m)] += g.weight(i, m);
        dense[g.neighbor(i, m)][i] += g.weight(i, m);
      }
    }
    double[][] z = new double[50][4];
    Random rnd = new Random(1);
    for (double[] row : z) {
      for (int c = 0; c < 4; c++) {
        row[c] = rnd.nextDouble();
      }
    }
    double[][] out = new double[50][4];
    g.symmetricProduct(z, out, 3);
    for (int i = 0; i < 50; i++) {
      for (int c = 0; c < 4; c++) {
        double expected = 0;
        for (int j = 0; j < 50; j++) {
          expected += dense[i][j] * z[j][c];
        }
        assertEquals(expected, out[i][c], 1e-12);
      }
    }
  }

  @Test
  void needsMoreRowsThanNeighbours() {
    assertThrows(IllegalArgumentException.class, () -> KnnGraph.exact(randomUnitRows(1, 3, 4), 3, 1));
  }
}

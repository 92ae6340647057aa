package io.remoteclip.eval.transductive;

/**
 * Blocked dot products of float rows, the kernel of the k-NN search and of the per-class scores. A block
 * of B's rows is packed transposed ({@code [D][width]}) so that the innermost loop runs over B's rows with
 * unit stride; four rows of A share each load. HotSpot (17) turns that loop into SIMD fused multiply-adds
 * only when every array in it is indexed by the loop variable alone (hence one array per packed row, not
 * one flat array with an offset) and when it runs for a few hundred iterations (a 16-lane vector loop is
 * unrolled several times; shorter loops run scalar): about 5× the scalar speed at width 256 to 512.
 *
 * <p>Every dot product is accumulated in the same order (p = 0..D-1) with {@link Math#fma}, which Java
 * defines exactly, so a value never depends on blocking, tiling or threads.
 */
final class DotTiles {
  /** Rows of A per tile. */
  static final int ROWS = 4;

  private DotTiles() {}

  /** {@code packed[p][j] = b[j0 + j][p]} for {@code j < width}; {@code packed} is [D][at least width]. */
  static void pack(float[][] b, int j0, int width, float[][] packed) {
    int dim = b[j0].length;
    for (int j = 0; j < width; j++) {
      float[] row = b[j0 + j];
      for (int p = 0; p < dim; p++) {
        packed[p][j] = row[p];
      }
    }
  }

  /**
   * {@code acc[r][j] = a[i0 + r] · b[j0 + j]} for {@code r < rows} (at most {@link #ROWS}) and
   * {@code j < width}, with B's block packed by {@link #pack}. {@code acc} is ROWS arrays of at least width.
   */
  static void tile(float[][] a, int i0, int rows, float[][] packed, int width, float[][] acc) {
    // Missing rows repeat the last one: the loop stays branch-free and those results are not read.
    float[] x0 = a[i0];
    float[] x1 = a[i0 + Math.min(1, rows - 1)];
    float[] x2 = a[i0 + Math.min(2, rows - 1)];
    float[] x3 = a[i0 + Math.min(3, rows - 1)];
    float[] s0 = acc[0];
    float[] s1 = acc[1];
    float[] s2 = acc[2];
    float[] s3 = acc[3];
    java.util.Arrays.fill(s0, 0, width, 0f);
    java.util.Arrays.fill(s1, 0, width, 0f);
    java.util.Arrays.fill(s2, 0, width, 0f);
    java.util.Arrays.fill(s3, 0, width, 0f);
    int dim = x0.length;
    for (int p = 0; p < dim; p++) {
      float v0 = x0[p];
      float v1 = x1[p];
      float v2 = x2[p];
      float v3 = x3[p];
      float[] bp = packed[p];
      for (int j = 0; j < width; j++) {
        float b = bp[j];
        s0[j] = Math.fma(v0, b, s0[j]);
        s1[j] = Math.fma(v1, b, s1[j]);
        s2[j] = Math.fma(v2, b, s2[j]);
        s3[j] = Math.fma(v3, b, s3[j]);
      }
    }
  }

  /** All products {@code a · bᵀ} as [rows of a][rows of b], rows in parallel (B is small: class vectors). */
  static float[][] products(float[][] a, float[][] b, int threads) {
    int width = b.length;
    float[][] packed = new float[b[0].length][width];
    pack(b, 0, width, packed);
    float[][] out = new float[a.length][];
    int chunk = 256;
    Parallel.forEachWithState(Parallel.chunks(a.length, chunk), threads, () -> new float[ROWS][width], (acc, t) -> {
      int end = Math.min(a.length, (t + 1) * chunk);
      for (int i = t * chunk; i < end; i += ROWS) {
        int rows = Math.min(ROWS, end - i);
        tile(a, i, rows, packed, width, acc);
        for (int r = 0; r < rows; r++) {
          out[i + r] = java.util.Arrays.copyOf(acc[r], width);
        }
      }
    });
    return out;
  }
}

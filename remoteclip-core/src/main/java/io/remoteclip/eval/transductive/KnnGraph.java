package io.remoteclip.eval.transductive;

import java.util.List;

/**
 * TransCLIP's affinity W over a batch of unit vectors: row i holds the cosine similarities of its k most
 * similar other rows (most similar first; ties go to the smaller index) and nothing else. The Laplacian
 * term uses W + Wᵀ, for which the incoming edges are kept too. Memory O(N·k).
 *
 * <p>The search is exact: all N(N-1)/2 dot products by blocked products ({@link DotTiles}), each computed
 * once and offered to both of its rows. The reference takes the top k+1 of each row of X·Xᵀ and drops the
 * first, assumed to be the row itself; here the row itself is excluded explicitly (the same graph unless
 * the batch holds exact duplicates).
 */
public final class KnnGraph {
  private final int size;
  private final int k;
  private final int[] neighbors; // [size * k]
  private final float[] weights; // [size * k]
  private final int[] incomingStart; // [size + 1], CSR of Wᵀ
  private final int[] incomingFrom;
  private final float[] incomingWeight;

  private KnnGraph(int size, int k, int[] neighbors, float[] weights) {
    this.size = size;
    this.k = k;
    this.neighbors = neighbors;
    this.weights = weights;
    incomingStart = new int[size + 1];
    for (int n : neighbors) {
      incomingStart[n + 1]++;
    }
    for (int i = 0; i < size; i++) {
      incomingStart[i + 1] += incomingStart[i];
    }
    incomingFrom = new int[neighbors.length];
    incomingWeight = new float[neighbors.length];
    int[] fill = java.util.Arrays.copyOf(incomingStart, size);
    for (int j = 0; j < size; j++) { // ascending source order: a fixed summation order below
      for (int m = 0; m < k; m++) {
        int to = neighbors[j * k + m];
        incomingFrom[fill[to]] = j;
        incomingWeight[fill[to]++] = weights[j * k + m];
      }
    }
  }

  /**
   * The exact k-NN graph of {@code unitRows} (L2-normalised, so dot product = cosine); needs more than k
   * rows.
   */
  public static KnnGraph exact(float[][] unitRows, int k, int threads) {
    int n = unitRows.length;
    if (k < 1 || n <= k) {
      throw new IllegalArgumentException("k=" + k + " needs more than k rows, rows=" + n);
    }
    int dim = unitRows[0].length;
    // Wide enough for the vectorised loop (see DotTiles), and a packed block of ~1.5 MB (dimension 768)
    // stays in a core's L2 cache while every row streams past it.
    int width = dim <= 1024 ? 512 : 256;
    int blocks = Parallel.chunks(n, width);
    List<BestK> tables = Parallel.forEachWithState(blocks, threads, () -> new BestK(n, k, width, dim),
        (table, task) -> table.scanColumnBlock(unitRows, blocks - 1 - task, width));
    int[] neighbors = new int[n * k];
    float[] weights = new float[n * k];
    BestK.merge(tables, k, neighbors, weights);
    return new KnnGraph(n, k, neighbors, weights);
  }

  public int size() {
    return size;
  }

  public int k() {
    return k;
  }

  /** The m-th most similar row of row i (m < k). */
  public int neighbor(int i, int m) {
    return neighbors[i * k + m];
  }

  /** Its cosine similarity with row i. */
  public float weight(int i, int m) {
    return weights[i * k + m];
  }

  /** {@code out[i] = Σ_j (W_ij + W_ji) · z[j]}, the rows of z being [classes]. */
  void symmetricProduct(double[][] z, double[][] out, int threads) {
    int classes = z[0].length;
    int chunk = 2048;
    Parallel.forEach(Parallel.chunks(size, chunk), threads, t -> {
      int end = Math.min(size, (t + 1) * chunk);
      for (int i = t * chunk; i < end; i++) {
        double[] o = out[i];
        java.util.Arrays.fill(o, 0);
        for (int m = 0; m < k; m++) {
          addScaled(o, weights[i * k + m], z[neighbors[i * k + m]], classes);
        }
        for (int e = incomingStart[i]; e < incomingStart[i + 1]; e++) {
          addScaled(o, incomingWeight[e], z[incomingFrom[e]], classes);
        }
      }
    });
  }

  private static void addScaled(double[] out, double w, double[] v, int n) {
    for (int c = 0; c < n; c++) {
      out[c] += w * v[c];
    }
  }

  /**
   * One worker's best-k candidates of every row. Ordering: larger similarity first, then smaller index, a
   * total order, so merging the workers' tables gives the same graph however the blocks were shared out.
   */
  private static final class BestK {
    final int k;
    final float[] value;
    final int[] index;
    final float[][] packed;
    final float[][] acc;

    BestK(int n, int k, int width, int dim) {
      this.k = k;
      value = new float[n * k];
      index = new int[n * k];
      java.util.Arrays.fill(value, Float.NEGATIVE_INFINITY);
      java.util.Arrays.fill(index, Integer.MAX_VALUE);
      packed = new float[dim][width];
      acc = new float[DotTiles.ROWS][width];
    }

    /** All pairs (i, j), i < j, with j in column block {@code jb} and i in blocks 0..jb. */
    void scanColumnBlock(float[][] x, int jb, int width) {
      int n = x.length;
      int j0 = jb * width;
      int cols = Math.min(width, n - j0);
      DotTiles.pack(x, j0, cols, packed);
      int rowEnd = Math.min(n, j0 + cols);
      for (int i0 = 0; i0 < rowEnd; i0 += DotTiles.ROWS) {
        int rows = Math.min(DotTiles.ROWS, rowEnd - i0);
        DotTiles.tile(x, i0, rows, packed, cols, acc);
        for (int r = 0; r < rows; r++) {
          int i = i0 + r;
          float[] s = acc[r];
          int first = Math.max(0, i + 1 - j0); // only j > i
          int rowWorst = i * k + k - 1;
          for (int c = first; c < cols; c++) {
            float v = s[c];
            int j = j0 + c;
            if (v >= value[rowWorst]) {
              offer(i, j, v);
            }
            if (v >= value[j * k + k - 1]) {
              offer(j, i, v);
            }
          }
        }
      }
    }

    void offer(int row, int candidate, float v) {
      int base = row * k;
      int pos = base + k - 1;
      if (!better(v, candidate, value[pos], index[pos])) {
        return;
      }
      while (pos > base && better(v, candidate, value[pos - 1], index[pos - 1])) {
        value[pos] = value[pos - 1];
        index[pos] = index[pos - 1];
        pos--;
      }
      value[pos] = v;
      index[pos] = candidate;
    }

    static boolean better(float v, int i, float otherV, int otherI) {
      return v > otherV || (v == otherV && i < otherI);
    }

    static void merge(List<BestK> tables, int k, int[] neighbors, float[] weights) {
      BestK first = tables.get(0);
      int n = first.value.length / k;
      for (int t = 1; t < tables.size(); t++) {
        BestK other = tables.get(t);
        for (int i = 0; i < n; i++) {
          for (int m = 0; m < k && other.index[i * k + m] != Integer.MAX_VALUE; m++) {
            first.offer(i, other.index[i * k + m], other.value[i * k + m]);
          }
        }
      }
      for (int e = 0; e < n * k; e++) {
        if (first.index[e] == Integer.MAX_VALUE) {
          throw new IllegalStateException("row " + (e / k) + " has fewer than " + k + " neighbours");
        }
      }
      System.arraycopy(first.index, 0, neighbors, 0, n * k);
      System.arraycopy(first.value, 0, weights, 0, n * k);
    }
  }
}

package io.remoteclip.scan;

import io.remoteclip.geo.WindowGrid;
import io.remoteclip.vector.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores of the windows of one scene: {@code scores[window][name]}, windows in {@link WindowGrid} order; a
 * window left out of the scan (outside {@code --bbox}) has null scores.
 *
 * @param embeddings {@code embeddings[window]}, the image embedding each score came from
 * @param seconds wall time of reading, encoding and scoring
 */
public record ScanResult(WindowGrid grid, List<String> names, boolean zeroShot, float[][] scores, float[][] embeddings,
    double seconds) {
  /** One selected window. {@code rank} is 1-based within its query or label. */
  public record Hit(int window, int name, float score, int rank) {}

  /**
   * The selected windows: for text queries, per query the windows scoring at least {@code threshold} (null:
   * any), best first, at most {@code topK} (null: all); for labels, each window counts only for its best label.
   * Ordered by query/label, then rank.
   */
  public List<Hit> select(Double threshold, Integer topK) {
    List<Hit> out = new ArrayList<>();
    for (int q = 0; q < names.size(); q++) {
      List<Integer> candidates = new ArrayList<>();
      for (int i = 0; i < scores.length; i++) {
        if (scores[i] == null) {
          continue;
        }
        boolean own = !zeroShot || Vectors.argmax(scores[i]) == q;
        if (own && (threshold == null || scores[i][q] >= threshold)) {
          candidates.add(i);
        }
      }
      final int query = q;
      candidates.sort(Comparator.<Integer>comparingDouble(i -> -scores[i][query]).thenComparingInt(i -> i));
      int n = topK == null ? candidates.size() : Math.min(topK, candidates.size());
      for (int r = 0; r < n; r++) {
        int i = candidates.get(r);
        out.add(new Hit(i, q, scores[i][q], r + 1));
      }
    }
    return out;
  }

  /** How many windows were scored. */
  public int scored() {
    int n = 0;
    for (float[] s : scores) {
      if (s != null) {
        n++;
      }
    }
    return n;
  }

  public double windowsPerSecond() {
    return seconds > 0 ? scored() / seconds : 0;
  }
}

package io.remoteclip.docs;

import java.util.List;

/** A line diff for failure messages: {@code "  "} both, {@code "- "} expected only, {@code "+ "} actual only. */
final class Diff {
  private Diff() {}

  private static final int MAX_LINES = 400;

  static String unified(List<String> expected, List<String> actual) {
    int n = expected.size();
    int m = actual.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = expected.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int j = 0;
    int lines = 0;
    while ((i < n || j < m) && lines++ < MAX_LINES) {
      if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
        sb.append("  ").append(expected.get(i++)).append('\n');
        j++;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        sb.append("- ").append(expected.get(i++)).append('\n');
      } else {
        sb.append("+ ").append(actual.get(j++)).append('\n');
      }
    }
    if (i < n || j < m) {
      sb.append("  ... (").append(n - i).append(" expected and ").append(m - j).append(" printed lines more)\n");
    }
    if (n == 0 && m == 0) {
      sb.append("  (both empty)\n");
    }
    return sb.toString();
  }
}

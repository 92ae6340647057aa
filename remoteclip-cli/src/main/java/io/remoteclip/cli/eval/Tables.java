package io.remoteclip.cli.eval;

import io.remoteclip.eval.ClassificationMetrics;
import java.io.PrintWriter;
import java.util.List;

/** Readable text output of the eval commands (percentages with two decimals). */
final class Tables {
  private Tables() {}

  static void row(PrintWriter out, String name, double percent) {
    out.printf("  %-24s %7s%n", name, Double.isNaN(percent) ? "n/a" : String.format("%.2f %%", percent));
  }

  static void classification(PrintWriter out, ClassificationMetrics m, List<String> classNames, boolean confusion) {
    row(out, "top-1", m.top1());
    if (!Double.isNaN(m.top5())) {
      row(out, "top-5", m.top5());
    }
    row(out, "mean per-class recall", m.meanPerClassRecall());
    out.println("per-class recall:");
    int width = Math.max(8, classNames.stream().mapToInt(String::length).max().orElse(8));
    int[][] c = m.confusion();
    for (int k = 0; k < classNames.size(); k++) {
      int n = 0;
      for (int v : c[k]) {
        n += v;
      }
      double r = m.perClassRecall()[k];
      out.printf("  %-" + width + "s %7s  (%d/%d)%n", classNames.get(k),
          Double.isNaN(r) ? "n/a" : String.format("%.2f", r), c[k][k], n);
    }
    if (confusion) {
      out.println("confusion matrix (rows: true class, columns: predicted):");
      for (int k = 0; k < c.length; k++) {
        StringBuilder sb = new StringBuilder(String.format("  %-" + width + "s", classNames.get(k)));
        for (int v : c[k]) {
          sb.append(String.format(" %4d", v));
        }
        out.println(sb);
      }
    }
    out.flush();
  }
}

package io.remoteclip.eval.protocol;

import io.remoteclip.eval.ClassificationMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building the JSON maps of results: JSON has no NaN, so undefined figures become {@code null}. */
final class JsonValues {
  private JsonValues() {}

  static Object number(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }

  /** {@code o} with NaN and infinities as null, in maps and lists too. */
  static Map<String, Object> clean(Map<String, Object> m) {
    Map<String, Object> c = new LinkedHashMap<>();
    m.forEach((k, v) -> c.put(k, cleanValue(v)));
    return c;
  }

  private static Object cleanValue(Object o) {
    if (o instanceof Double d) {
      return number(d);
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> c = new LinkedHashMap<>();
      m.forEach((k, v) -> c.put(k, cleanValue(v)));
      return c;
    }
    if (o instanceof List<?> l) {
      List<Object> c = new ArrayList<>();
      l.forEach(v -> c.add(cleanValue(v)));
      return c;
    }
    return o;
  }

  /** The scalar classification metrics ({@code top5} only with five or more classes). */
  static void putSummary(Map<String, Object> m, ClassificationMetrics r) {
    m.putAll(r.summary());
  }

  /** {@code per_class_recall} by class name and {@code confusion[true][predicted]}. */
  static void putPerClass(Map<String, Object> m, ClassificationMetrics r, List<String> names) {
    Map<String, Object> pc = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      pc.put(names.get(k), number(r.perClassRecall()[k]));
    }
    m.put("per_class_recall", pc);
    List<Object> rows = new ArrayList<>();
    for (int[] row : r.confusion()) {
      List<Integer> cells = new ArrayList<>();
      for (int v : row) {
        cells.add(v);
      }
      rows.add(cells);
    }
    m.put("confusion", rows);
  }

  static String top1(ClassificationMetrics r) {
    return String.format(java.util.Locale.ROOT, "top-1 %.2f", r.top1());
  }
}

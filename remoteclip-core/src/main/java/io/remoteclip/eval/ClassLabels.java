package io.remoteclip.eval;

import io.remoteclip.DataFormatException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Zero-shot labels must be distinct: a label given twice gets two equal class vectors, and the softmax splits its
 * probability between them (two times 0.45 instead of one 0.9), so every command refuses it here.
 */
public final class ClassLabels {
  private ClassLabels() {}

  /** The first label that repeats an earlier one, or null. */
  public static String firstDuplicate(List<String> labels) {
    Set<String> seen = new HashSet<>();
    for (String l : labels) {
      if (!seen.add(l)) {
        return l;
      }
    }
    return null;
  }

  /** {@code source: label 'x' is given twice}, the one wording of this problem. */
  public static String duplicateMessage(Object source, String label) {
    return source + ": label '" + label + "' is given twice";
  }

  /** {@code labels}, or a {@link DataFormatException} naming {@code source} and the repeated label. */
  public static List<String> requireDistinct(List<String> labels, Object source) throws DataFormatException {
    String d = firstDuplicate(labels);
    if (d != null) {
      throw new DataFormatException(duplicateMessage(source, d));
    }
    return labels;
  }
}

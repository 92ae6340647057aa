package io.remoteclip.eval.protocol;

import io.remoteclip.eval.ClassificationMetrics;
import java.util.List;

/** A result scored per class: top-1, per-class recall and confusion, with the class names they refer to. */
public interface ClassificationResult {
  ClassificationMetrics metrics();

  /** Class identifiers in index order (folder or CSV labels, given names, or "0", "1", …). */
  List<String> classNames();
}

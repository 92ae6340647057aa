package io.remoteclip.data.annotation;

import io.remoteclip.data.annotation.AnnotationIssue.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Helpers the readers share: file listing, number parsing, label lookup. */
final class ReaderSupport {
  private ReaderSupport() {}

  /** {@code path} itself when it is a file, else its files ending in {@code ext}, sorted by name. */
  static List<Path> files(Path path, String ext) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(p -> Files.isRegularFile(p)
              && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext))
          .sorted()
          .toList();
    }
  }

  static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /** Parses a finite number or returns NaN. */
  static double number(String s) {
    if (s == null) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(s.trim());
      return Double.isFinite(v) ? v : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Why a box is unusable (non-numeric, empty), or null when it is fine. */
  static String boxProblem(BoundingBox box) {
    if (!(Double.isFinite(box.x0()) && Double.isFinite(box.y0()) && Double.isFinite(box.x1())
        && Double.isFinite(box.y1()))) {
      return "box has a missing or non-numeric coordinate";
    }
    if (box.isEmpty()) {
      return String.format(Locale.ROOT, "empty box [%.1f,%.1f,%.1f,%.1f] (max <= min)",
          box.x0(), box.y0(), box.x1(), box.y1());
    }
    return null;
  }

  /**
   * The object for a raw label, or null after recording why (unknown class, degenerate box). Labels of
   * role IGNORE return null silently.
   */
  static LabeledObject object(
      Annotations out, Path file, int line, String rawLabel, ClassTable classes, BoundingBox box,
      double[] polygon, boolean difficult) {
    ClassTable.Entry e = classes.lookup(rawLabel);
    if (e == null) {
      out.issue(file, line, "unknown class '" + rawLabel + "' (not in the classes file)", Action.SKIPPED_OBJECT);
      return null;
    }
    if (e.role() == ClassRole.IGNORE) {
      return null;
    }
    String problem = boxProblem(box);
    if (problem != null) {
      out.issue(file, line, problem, Action.SKIPPED_OBJECT);
      return null;
    }
    return new LabeledObject(e.name(), box, polygon, difficult, e.role(), line);
  }
}

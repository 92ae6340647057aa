package io.remoteclip.encode;

import java.nio.file.Path;
import java.util.List;

/**
 * Result of encoding image files: rows for the files that could be read (in input order) and the
 * files that could not, each with its one-line reason.
 */
public record ImageEncoding(List<Path> files, float[][] embeddings, List<Failure> failures) {
  public record Failure(Path file, String message) {}
}

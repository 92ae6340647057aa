package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reading and cross-checking the cached inputs of the eval commands; every problem names the file. */
final class EvalInputs {
  private EvalInputs() {}

  /** Missing inputs exit with 66 (Npy itself reports them as format errors). */
  static Path existing(Path file) throws java.nio.file.NoSuchFileException {
    if (!Files.exists(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString());
    }
    return file;
  }

  static float[][] embeddings(Path file) throws IOException, DataFormatException {
    existing(file);
    float[][] m = Npy.readMatrix(file);
    if (m.length == 0) {
      throw new DataFormatException(file + ": no rows");
    }
    return m;
  }

  /** Rows [n·10, D] from a 2-d file or [n, 10, D] from a 3-d one. */
  static float[][] embeddingsFlattened(Path file, int groupSize) throws IOException, DataFormatException {
    NpyArray a = Npy.read(existing(file));
    int[] s = a.shape();
    if (s.length == 3 && s[1] == groupSize) {
      return new NpyArray(a.dtype(), new int[] {s[0] * s[1], s[2]}, a.data()).matrix();
    }
    if (s.length != 2) {
      throw new DataFormatException(file + ": expected [items*" + groupSize + ", D] or [items, " + groupSize
          + ", D], shape is " + Arrays.toString(s));
    }
    return a.matrix();
  }

  static int[] labels(Path file, int rows, Path rowsFile) throws IOException, DataFormatException {
    int[] l = Npy.readLabels(existing(file));
    if (l.length != rows) {
      throw new DataFormatException(file + ": " + l.length + " entries but " + rowsFile + " has " + rows + " rows");
    }
    for (int i = 0; i < l.length; i++) {
      if (l[i] < 0) {
        throw new DataFormatException(file + ": entry " + i + " is negative (" + l[i] + ")");
      }
    }
    return l;
  }

  static void sameDimension(Path a, float[][] ma, Path b, float[][] mb) throws DataFormatException {
    if (ma[0].length != mb[0].length) {
      throw new DataFormatException(b + ": embedding dimension " + mb[0].length + " differs from " + a + " ("
          + ma[0].length + ")");
    }
  }

  static void labelsBelow(Path file, int[] labels, int classes, String what) throws DataFormatException {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes) {
        throw new DataFormatException(file + ": label " + labels[i] + " of row " + i + " but " + what + " has only "
            + classes + " classes");
      }
    }
  }

  /** Class names from a file (one per line), or "0", "1", … */
  static List<String> classNames(Path file, int classes) throws IOException, DataFormatException {
    if (file == null) {
      return java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }
    List<String> names = Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (names.size() != classes) {
      throw new DataFormatException(file + ": " + names.size() + " class names for " + classes + " classes");
    }
    return names;
  }

  static int classCount(int[]... labelSets) {
    int max = -1;
    for (int[] ls : labelSets) {
      for (int l : ls) {
        max = Math.max(max, l);
      }
    }
    return max + 1;
  }

  private static final String[] MODEL_OPTIONS = {"--model", "--vocab", "--config", "--activation", "--bands",
      "--batch-size", "--threads", "--cache-dir", "--no-cache"};

  /** Model options only make sense end to end; with cached embeddings they would be silently ignored. */
  static void rejectModelOptions(picocli.CommandLine.Model.CommandSpec spec) {
    var parsed = spec.commandLine().getParseResult();
    for (String o : MODEL_OPTIONS) {
      if (parsed.hasMatchedOption(o)) {
        throw new IllegalArgumentException(o + " is for end-to-end evaluation (with --dataset or --items); "
            + "cached embeddings need no model");
      }
    }
  }
}

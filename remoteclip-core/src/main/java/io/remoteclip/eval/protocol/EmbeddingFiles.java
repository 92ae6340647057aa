package io.remoteclip.eval.protocol;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import io.remoteclip.FiniteRows;
import io.remoteclip.eval.CountingCaptions;
import io.remoteclip.eval.CountingItem;
import io.remoteclip.eval.CountingItems;
import io.remoteclip.eval.Ensemble;
import io.remoteclip.eval.Splits;
import io.remoteclip.eval.ZeroShot;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Requests from cached embeddings in {@code .npy} files (float rows; labels and indices int64), read and
 * cross-checked: every problem names the file, a missing file is a {@link NoSuchFileException}.
 */
public final class EmbeddingFiles {
  private EmbeddingFiles() {}

  /** Zero-shot on every row of {@code images}; one class-embedding file per template; names optional. */
  public static ZeroShotRequest zeroShot(Path images, Path labels, List<Path> classEmbeddings, Path classNames,
      Ensemble ensemble) throws IOException, DataFormatException {
    float[][] rows = matrix(images);
    int[] l = labels(labels, rows.length, images);
    List<float[][]> perTemplate = new ArrayList<>();
    for (Path p : classEmbeddings) {
      float[][] c = matrix(p);
      sameDimension(images, rows, p, c);
      if (!perTemplate.isEmpty() && perTemplate.get(0).length != c.length) {
        throw new DataFormatException(p + ": " + c.length + " classes but " + classEmbeddings.get(0) + " has "
            + perTemplate.get(0).length);
      }
      perTemplate.add(c);
    }
    int k = perTemplate.get(0).length;
    labelsBelow(labels, l, k, classEmbeddings.get(0).toString());
    List<String> names = classNames(classNames, k);
    ZeroShot.requireClasses(names, classEmbeddings.get(0));
    return new ZeroShotRequest(new ZeroShotRequest.Embeddings(rows, l, names),
        new ZeroShotRequest.TemplateEmbeddings(perTemplate), ensemble);
  }

  /** Separate train and test files; {@code classNames} (optional) may name more classes than are used. */
  public static TrainTestRows trainTest(Path train, Path trainLabels, Path test, Path testLabels, Path classNames)
      throws IOException, DataFormatException {
    float[][] tr = matrix(train);
    float[][] te = matrix(test);
    sameDimension(train, tr, test, te);
    int[] trl = labels(trainLabels, tr.length, train);
    int[] tel = labels(testLabels, te.length, test);
    List<String> names = namesCovering(classNames, classCount(trl, tel));
    return new TrainTestRows(tr, trl, te, tel, names.size(), names, train + " → " + test);
  }

  /** One embedding file split per class: {@code trainFraction} of each class trains ({@link Splits#stratified}). */
  public static TrainTestRows stratified(Path embeddings, Path labels, double trainFraction, long seed,
      Path classNames) throws IOException, DataFormatException {
    float[][] all = matrix(embeddings);
    int[] l = labels(labels, all.length, embeddings);
    Splits.TrainTest s = Splits.stratified(l, trainFraction, seed);
    List<String> names = namesCovering(classNames, classCount(l));
    return new TrainTestRows(Splits.rows(all, s.train()), Splits.at(l, s.train()), Splits.rows(all, s.test()),
        Splits.at(l, s.test()), names.size(), names,
        embeddings + " split " + trainFraction + "/" + (1 - trainFraction) + " seed " + seed);
  }

  /** Gallery images, captions and the image row of each caption. */
  public static RetrievalRequest retrieval(Path images, Path texts, Path textToImage)
      throws IOException, DataFormatException {
    float[][] im = matrix(images);
    float[][] tx = matrix(texts);
    sameDimension(images, im, texts, tx);
    int[] owner = Npy.readLabels(existing(textToImage));
    if (owner.length != tx.length) {
      throw new DataFormatException(textToImage + ": " + owner.length + " entries but " + texts + " has " + tx.length
          + " rows");
    }
    for (int t = 0; t < owner.length; t++) {
      if (owner[t] < 0 || owner[t] >= im.length) {
        throw new DataFormatException(textToImage + ": entry " + t + " is image " + owner[t] + " but " + images
            + " has " + im.length + " rows");
      }
    }
    return new RetrievalRequest(new RetrievalRequest.Embeddings(im, tx, owner));
  }

  /** Counting items with one image row per item and ten caption rows per item ([n·10, D] or [n, 10, D]). */
  public static CountingRequest counting(Path items, Path images, Path captions) throws IOException, DataFormatException {
    List<CountingItem> list = CountingItems.load(existing(items));
    float[][] im = matrix(images);
    float[][] cap = flattened(captions, CountingCaptions.MAX_COUNT);
    if (im.length != list.size()) {
      throw new DataFormatException(images + ": " + im.length + " rows but " + items + " has " + list.size() + " items");
    }
    if (cap.length != list.size() * CountingCaptions.MAX_COUNT) {
      throw new DataFormatException(captions + ": " + cap.length + " rows, expected "
          + list.size() * CountingCaptions.MAX_COUNT + " (10 per item)");
    }
    sameDimension(images, im, captions, cap);
    return new CountingRequest(list, new CountingRequest.Embeddings(im, cap));
  }

  /** {@code file}, or a {@link NoSuchFileException} (the npy reader would call it a format error). */
  public static Path existing(Path file) throws NoSuchFileException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    return file;
  }

  /** Float rows [n, D], at least one, all finite. */
  public static float[][] matrix(Path file) throws IOException, DataFormatException {
    float[][] m = Npy.readMatrix(existing(file));
    if (m.length == 0) {
      throw new DataFormatException(file + ": no rows");
    }
    return FiniteRows.require(m, file);
  }

  /** Rows [n·group, D] from a 2-d file or from a 3-d [n, group, D] one. */
  static float[][] flattened(Path file, int group) throws IOException, DataFormatException {
    NpyArray a = Npy.read(existing(file));
    int[] s = a.shape();
    if (s.length == 3 && s[1] == group) {
      return FiniteRows.require(new NpyArray(a.dtype(), new int[] {s[0] * s[1], s[2]}, a.data()).matrix(), file);
    }
    if (s.length != 2) {
      throw new DataFormatException(file + ": expected [items*" + group + ", D] or [items, " + group
          + ", D], shape is " + Arrays.toString(s));
    }
    return FiniteRows.require(a.matrix(), file);
  }

  /** Non-negative labels, one per row of {@code rowsFile}. */
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

  private static void sameDimension(Path a, float[][] ma, Path b, float[][] mb) throws DataFormatException {
    if (ma[0].length != mb[0].length) {
      throw new DataFormatException(b + ": embedding dimension " + mb[0].length + " differs from " + a + " ("
          + ma[0].length + ")");
    }
  }

  private static void labelsBelow(Path file, int[] labels, int classes, String what) throws DataFormatException {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes) {
        throw new DataFormatException(file + ": label " + labels[i] + " of row " + i + " but " + what + " has only "
            + classes + " classes");
      }
    }
  }

  /** Exactly {@code classes} names from a file (one per line), or "0", "1", … without one. */
  static List<String> classNames(Path file, int classes) throws IOException, DataFormatException {
    if (file == null) {
      return TrainTestRows.indexNames(classes);
    }
    List<String> names = readNames(file);
    if (names.size() != classes) {
      throw new DataFormatException(file + ": " + names.size() + " class names for " + classes + " classes");
    }
    return names;
  }

  /** Names for at least the {@code used} classes the labels refer to; a file may name more. */
  private static List<String> namesCovering(Path file, int used) throws IOException, DataFormatException {
    if (file == null) {
      return TrainTestRows.indexNames(used);
    }
    List<String> names = readNames(file);
    if (names.size() < used) {
      throw new DataFormatException(file + ": " + names.size() + " names but labels use " + used + " classes");
    }
    return names;
  }

  private static List<String> readNames(Path file) throws IOException {
    return InputFiles.readLines(existing(file)).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static int classCount(int[]... labelSets) {
    int max = -1;
    for (int[] ls : labelSets) {
      for (int l : ls) {
        max = Math.max(max, l);
      }
    }
    return max + 1;
  }
}

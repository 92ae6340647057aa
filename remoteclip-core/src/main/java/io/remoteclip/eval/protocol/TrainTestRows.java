package io.remoteclip.eval.protocol;

import java.util.List;

/**
 * Labelled train and test embeddings of the supervised protocols.
 *
 * @param classes number of classes (labels are 0..classes-1)
 * @param classNames class identifiers in index order ("0", "1", … when unknown)
 * @param source one line saying where the rows came from, for reports
 */
public record TrainTestRows(float[][] train, int[] trainLabels, float[][] test, int[] testLabels, int classes,
    List<String> classNames, String source) implements SupervisedInput {
  public TrainTestRows {
    if (train.length != trainLabels.length || test.length != testLabels.length) {
      throw new IllegalArgumentException("train=" + train.length + " trainLabels=" + trainLabels.length + " test="
          + test.length + " testLabels=" + testLabels.length);
    }
    classNames = classNames == null ? indexNames(classes) : List.copyOf(classNames);
    if (classNames.size() != classes) {
      throw new IllegalArgumentException("classes=" + classes + " but classNames=" + classNames.size());
    }
  }

  /** "0", "1", … for classes known only by index. */
  public static List<String> indexNames(int classes) {
    return java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
  }
}

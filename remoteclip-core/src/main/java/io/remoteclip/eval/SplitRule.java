package io.remoteclip.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.dataset.ClassificationDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * How the images of a classification data set are divided into training and test rows for the linear
 * probe, k-NN and few-shot protocols: by the data set's split names when it has them, else a seeded
 * per-class split ({@link Splits#stratified}).
 *
 * @param trainSplits split names whose images train (e.g. {@code train}, or {@code train,val})
 * @param testSplit split name whose images are scored
 * @param trainFraction share of each class used for training when the data set has no splits
 * @param seed seed of that per-class split
 */
public record SplitRule(List<String> trainSplits, String testSplit, double trainFraction, long seed) {
  public SplitRule {
    trainSplits = List.copyOf(trainSplits);
  }

  /** Sorted row indices of {@code data} for training and for testing. */
  public Splits.TrainTest apply(ClassificationDataset data, String source) throws DataFormatException {
    if (!data.hasSplits()) {
      return Splits.stratified(data.labels(), trainFraction, seed);
    }
    if (trainSplits.contains(testSplit)) {
      throw new IllegalArgumentException("split '" + testSplit + "' is both a training and the test split");
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      String s = data.splits().get(i);
      if (trainSplits.contains(s)) {
        train.add(i);
      } else if (s.equals(testSplit)) {
        test.add(i);
      }
    }
    if (train.isEmpty() || test.isEmpty()) {
      throw new DataFormatException(source + ": no images in split " + (train.isEmpty() ? trainSplits : testSplit)
          + " (splits present: " + data.splits().stream().distinct().sorted().toList() + ")");
    }
    return new Splits.TrainTest(train.stream().mapToInt(Integer::intValue).toArray(),
        test.stream().mapToInt(Integer::intValue).toArray());
  }

  /** One line for reports: {@code "splits train -> test"} or {@code "per-class split 0.5/0.5, seed 0"}. */
  public String describe(ClassificationDataset data) {
    return data.hasSplits() ? "splits " + String.join("+", trainSplits) + " -> " + testSplit
        : "per-class split " + trainFraction + "/" + Math.round((1 - trainFraction) * 1000) / 1000.0 + ", seed " + seed;
  }
}

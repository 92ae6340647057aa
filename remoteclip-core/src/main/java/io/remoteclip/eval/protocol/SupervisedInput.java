package io.remoteclip.eval.protocol;

import io.remoteclip.DataFormatException;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.dataset.Datasets;
import io.remoteclip.eval.SplitRule;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Train and test rows of the supervised protocols (linear probe, k-NN, few-shot): embeddings already in
 * memory ({@link TrainTestRows}), or a labelled data set that {@link Evaluator} splits and encodes.
 */
public sealed interface SupervisedInput permits TrainTestRows, SupervisedInput.Dataset {
  /**
   * A classification data set split by {@code rule}: its split names when it has them, else a seeded
   * per-class split.
   *
   * @param file the data set's file or folder (for descriptions)
   * @param splitSource where the split names came from (for messages: the data set or a split file)
   */
  record Dataset(ClassificationDataset data, SplitRule rule, Path file, Path splitSource) implements SupervisedInput {
    /** Reads class folders or a label CSV, taking each image's split from {@code splitFrom} when given. */
    public static Dataset load(Path file, Path splitFrom, SplitRule rule) throws IOException, DataFormatException {
      ClassificationDataset data = Datasets.classification(file);
      if (splitFrom != null) {
        data = Datasets.withSplitsFrom(data, splitFrom);
      }
      return new Dataset(data, rule, file, splitFrom != null ? splitFrom : file);
    }

    /** {@code "<file> (splits train -> test)"} or {@code "<file> (per-class split 0.5/0.5, seed 0)"}. */
    public String describe() {
      return file + " (" + rule.describe(data) + ")";
    }
  }
}

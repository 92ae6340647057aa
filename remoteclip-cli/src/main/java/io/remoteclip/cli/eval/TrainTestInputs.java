package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.eval.Splits;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Cached inputs of the supervised protocols: either train and test embedding/label files, or one
 * embedding/label pair split per class with a seed.
 */
public final class TrainTestInputs {
  @Option(names = "--train-embeddings", paramLabel = "TRAIN.npy", description = "Training image embeddings [n, D].")
  Path trainEmbeddings;

  @Option(names = "--train-labels", paramLabel = "TRAIN_LABELS.npy", description = "int64 class index of each training row.")
  Path trainLabels;

  @Option(names = "--test-embeddings", paramLabel = "TEST.npy", description = "Test image embeddings [m, D].")
  Path testEmbeddings;

  @Option(names = "--test-labels", paramLabel = "TEST_LABELS.npy", description = "int64 class index of each test row.")
  Path testLabels;

  @Option(names = "--embeddings", paramLabel = "ALL.npy",
      description = "Instead of train/test files: one embedding file split per class (see --train-fraction).")
  Path embeddings;

  @Option(names = "--labels", paramLabel = "LABELS.npy", description = "Labels of --embeddings.")
  Path labels;

  @Option(names = "--train-fraction", defaultValue = "0.5", paramLabel = "F",
      description = "Share of each class used for training with --embeddings (default: ${DEFAULT-VALUE}).")
  double trainFraction;

  @Option(names = "--split-seed", defaultValue = "0", paramLabel = "SEED",
      description = "Seed of the per-class split with --embeddings (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  /** Loaded and checked train/test rows. */
  public record Data(float[][] train, int[] trainLabels, float[][] test, int[] testLabels, int classes, String source) {}

  public Data load() throws IOException, DataFormatException {
    boolean split = embeddings != null || labels != null;
    boolean files = trainEmbeddings != null || trainLabels != null || testEmbeddings != null || testLabels != null;
    if (split == files) {
      throw new IllegalArgumentException("give either --train-embeddings, --train-labels, "
          + "--test-embeddings and --test-labels, or --embeddings and --labels");
    }
    if (split) {
      if (embeddings == null || labels == null) {
        throw new IllegalArgumentException("--embeddings and --labels go together");
      }
      float[][] all = EvalInputs.embeddings(embeddings);
      int[] l = EvalInputs.labels(labels, all.length, embeddings);
      Splits.TrainTest s = Splits.stratified(l, trainFraction, splitSeed);
      return new Data(Splits.rows(all, s.train()), Splits.at(l, s.train()), Splits.rows(all, s.test()),
          Splits.at(l, s.test()), EvalInputs.classCount(l),
          embeddings + " split " + trainFraction + "/" + (1 - trainFraction) + " seed " + splitSeed);
    }
    if (trainEmbeddings == null || trainLabels == null || testEmbeddings == null || testLabels == null) {
      throw new IllegalArgumentException(
          "--train-embeddings, --train-labels, --test-embeddings and --test-labels are all needed");
    }
    float[][] train = EvalInputs.embeddings(trainEmbeddings);
    float[][] test = EvalInputs.embeddings(testEmbeddings);
    EvalInputs.sameDimension(trainEmbeddings, train, testEmbeddings, test);
    int[] trl = EvalInputs.labels(trainLabels, train.length, trainEmbeddings);
    int[] tel = EvalInputs.labels(testLabels, test.length, testEmbeddings);
    return new Data(train, trl, test, tel, EvalInputs.classCount(trl, tel), trainEmbeddings + " → " + testEmbeddings);
  }
}

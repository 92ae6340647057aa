package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.eval.SplitRule;
import io.remoteclip.eval.protocol.EmbeddingFiles;
import io.remoteclip.eval.protocol.SupervisedInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Inputs of the supervised protocols: a data set encoded end to end ({@code --dataset} with the model
 * options), train and test embedding/label files, or one embedding/label pair split per class with a seed.
 */
public final class TrainTestInputs {
  @Option(names = "--dataset", paramLabel = "PATH",
      description = "End to end: a class-folder root or a filename,label[,split] CSV, encoded with --model (cached).")
  Path dataset;

  @Option(names = "--split-from", paramLabel = "FILE",
      description = "Take the train/test split of each --dataset image from a Karpathy JSON (e.g. dataset_ucm.json) "
          + "or a filename,label,split CSV. Without splits: a seeded per-class split (--train-fraction, --split-seed).")
  Path splitFrom;

  @Option(names = "--train-split", split = ",", defaultValue = "train", paramLabel = "NAME",
      description = "Split name(s) used for training when the data set has splits (default: ${DEFAULT-VALUE}; e.g. train,val).")
  List<String> trainSplits;

  @Option(names = "--test-split", defaultValue = "test", paramLabel = "NAME",
      description = "Split name scored when the data set has splits (default: ${DEFAULT-VALUE}).")
  String testSplit;

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

  @Option(converter = Ranges.SplitFraction.class, names = "--train-fraction", defaultValue = "0.5", paramLabel = "F",
      description = "Share of each class used for training with --embeddings (default: ${DEFAULT-VALUE})."
          + Ranges.SplitFraction.HELP)
  double trainFraction;

  @Option(converter = Ranges.Seed.class, names = "--split-seed", defaultValue = "0", paramLabel = "SEED",
      description = "Seed of the per-class split with --embeddings (default: ${DEFAULT-VALUE})." + Ranges.Seed.HELP)
  long splitSeed;

  boolean endToEnd() {
    return dataset != null;
  }

  /** The rows these options name: a data set to encode, train/test files, or one file split per class. */
  SupervisedInput input(CommandSpec spec) throws IOException, DataFormatException {
    if (dataset != null) {
      if (embeddings != null || labels != null || trainEmbeddings != null || trainLabels != null
          || testEmbeddings != null || testLabels != null) {
        throw EvalInputs.usage(spec, "--dataset encodes the images itself: drop the embedding/label files");
      }
      return SupervisedInput.Dataset.load(dataset, splitFrom,
          new SplitRule(trainSplits, testSplit, trainFraction, splitSeed));
    }
    if (splitFrom != null) {
      throw EvalInputs.usage(spec, "--split-from goes with --dataset");
    }
    boolean split = embeddings != null || labels != null;
    boolean files = trainEmbeddings != null || trainLabels != null || testEmbeddings != null || testLabels != null;
    if (split == files) {
      throw EvalInputs.usage(spec, "give either --train-embeddings, --train-labels, "
          + "--test-embeddings and --test-labels, or --embeddings and --labels");
    }
    if (split) {
      if (embeddings == null || labels == null) {
        throw EvalInputs.usage(spec, "--embeddings and --labels go together");
      }
      return EmbeddingFiles.stratified(embeddings, labels, trainFraction, splitSeed, null);
    }
    if (trainEmbeddings == null || trainLabels == null || testEmbeddings == null || testLabels == null) {
      throw EvalInputs.usage(spec,
          "--train-embeddings, --train-labels, --test-embeddings and --test-labels are all needed");
    }
    return EmbeddingFiles.trainTest(trainEmbeddings, trainLabels, testEmbeddings, testLabels, null);
  }
}

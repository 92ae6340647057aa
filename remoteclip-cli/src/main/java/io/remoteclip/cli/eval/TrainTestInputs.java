package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.cli.ConsoleProgress;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.dataset.Datasets;
import io.remoteclip.eval.SplitRule;
import io.remoteclip.eval.Splits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Option(names = "--train-fraction", defaultValue = "0.5", paramLabel = "F",
      description = "Share of each class used for training with --embeddings (default: ${DEFAULT-VALUE}).")
  double trainFraction;

  @Option(names = "--split-seed", defaultValue = "0", paramLabel = "SEED",
      description = "Seed of the per-class split with --embeddings (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  /** Loaded and checked train/test rows; {@code classNames} is null for cached inputs (indices are shown). */
  public record Data(float[][] train, int[] trainLabels, float[][] test, int[] testLabels, int classes, String source,
      List<String> classNames) {
    public Data(float[][] train, int[] trainLabels, float[][] test, int[] testLabels, int classes, String source) {
      this(train, trainLabels, test, testLabels, classes, source, null);
    }

    List<String> names() throws IOException, DataFormatException {
      return classNames != null ? classNames : EvalInputs.classNames(null, classes);
    }
  }

  /** Opens the model for {@code --dataset} (only called in that mode). */
  interface SessionOpener {
    ModelSession open() throws IOException, RemoteClipException;
  }

  boolean endToEnd() {
    return dataset != null;
  }

  public Data load(SessionOpener opener) throws IOException, RemoteClipException {
    if (dataset != null) {
      if (embeddings != null || labels != null || trainEmbeddings != null || trainLabels != null
          || testEmbeddings != null || testLabels != null) {
        throw new IllegalArgumentException("--dataset encodes the images itself: drop the embedding/label files");
      }
      return encode(opener);
    }
    if (splitFrom != null) {
      throw new IllegalArgumentException("--split-from goes with --dataset");
    }
    return load();
  }

  private Data encode(SessionOpener opener) throws IOException, RemoteClipException {
    ClassificationDataset d = Datasets.classification(dataset);
    if (splitFrom != null) {
      d = Datasets.withSplitsFrom(d, splitFrom);
    }
    SplitRule rule = new SplitRule(trainSplits, testSplit, trainFraction, splitSeed);
    Splits.TrainTest tt = rule.apply(d, (splitFrom != null ? splitFrom : dataset).toString());
    List<Path> paths = new ArrayList<>();
    for (int i : tt.train()) {
      paths.add(d.images().get(i));
    }
    for (int i : tt.test()) {
      paths.add(d.images().get(i));
    }
    float[][] rows;
    try (ModelSession session = opener.open()) {
      rows = session.encoder().encodeImages(paths, ConsoleProgress.stderr());
      session.report();
    }
    int n = tt.train().length;
    float[][] train = java.util.Arrays.copyOfRange(rows, 0, n);
    float[][] test = java.util.Arrays.copyOfRange(rows, n, rows.length);
    return new Data(train, Splits.at(d.labels(), tt.train()), test, Splits.at(d.labels(), tt.test()), d.classes().size(),
        dataset + " (" + rule.describe(d) + ")", d.classes());
  }

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

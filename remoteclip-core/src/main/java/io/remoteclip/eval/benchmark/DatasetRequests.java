package io.remoteclip.eval.benchmark;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.dataset.ClassNames;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.eval.CountingCaptions;
import io.remoteclip.eval.CountingItems;
import io.remoteclip.eval.PromptTemplates;
import io.remoteclip.eval.SplitRule;
import io.remoteclip.eval.protocol.CountingRequest;
import io.remoteclip.eval.protocol.EmbeddingFiles;
import io.remoteclip.eval.protocol.EvalRequest;
import io.remoteclip.eval.protocol.Evaluator;
import io.remoteclip.eval.protocol.FewShotRequest;
import io.remoteclip.eval.protocol.KnnRequest;
import io.remoteclip.eval.protocol.LinearProbeRequest;
import io.remoteclip.eval.protocol.Protocol;
import io.remoteclip.eval.protocol.RetrievalRequest;
import io.remoteclip.eval.protocol.SupervisedInput;
import io.remoteclip.eval.protocol.TrainTestRows;
import io.remoteclip.eval.protocol.TransductiveZeroShotRequest;
import io.remoteclip.eval.protocol.ZeroShotRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The requests of one benchmark data set entry, built from its declared inputs with the config's protocol
 * settings. Supervised rows are loaded (or encoded) once and shared by linear probe, k-NN and few-shot.
 */
final class DatasetRequests {
  private final BenchmarkConfig config;
  private final BenchmarkConfig.Dataset ds;
  private final boolean endToEnd;
  private final Double textScale;
  private final Evaluator evaluator;
  private SupervisedInput.Dataset dataset;
  private TrainTestRows rows;

  DatasetRequests(BenchmarkConfig config, BenchmarkConfig.Dataset ds, boolean endToEnd, Double textScale,
      Evaluator evaluator) {
    this.config = config;
    this.ds = ds;
    this.endToEnd = endToEnd;
    this.textScale = textScale;
    this.evaluator = evaluator;
  }

  /** Why {@code protocol} is skipped when {@link #request} returns null. */
  static String missing(Protocol protocol) {
    return switch (protocol) {
      case ZEROSHOT, ZEROSHOT_TRANSDUCTIVE -> "needs images, labels and class_embeddings";
      case LINEAR_PROBE, KNN, FEWSHOT -> "needs classification embeddings";
      case RETRIEVAL -> "needs images, texts and text_to_image";
      case COUNTING -> "needs counting_items, counting_images and counting_captions";
    };
  }

  /** The request of {@code protocol} on this data set, or null when the entry lacks its inputs. */
  EvalRequest request(Protocol protocol) throws IOException, RemoteClipException {
    return switch (protocol) {
      case ZEROSHOT -> zeroShot();
      case ZEROSHOT_TRANSDUCTIVE -> {
        ZeroShotRequest z = zeroShot();
        yield z == null ? null
            : textScale == null ? TransductiveZeroShotRequest.of(z) : TransductiveZeroShotRequest.of(z, textScale);
      }
      case LINEAR_PROBE -> supervised() ? new LinearProbeRequest(rows(), config.linearC(), config.maxIterations(), null)
          : null;
      case KNN -> supervised() ? new KnnRequest(rows(), config.knnK(), config.knnTemperature()) : null;
      case FEWSHOT -> supervised() ? new FewShotRequest(rows(), config.shots(), config.fewShotSeeds(),
          config.fewShotSeed(), config.linearC(), config.maxIterations()) : null;
      case RETRIEVAL -> retrieval();
      case COUNTING -> counting();
    };
  }

  private ZeroShotRequest zeroShot() throws IOException, RemoteClipException {
    if (isEncodedClassificationSet()) {
      BenchmarkConfig.EndToEnd e = ds.endToEnd();
      ClassificationDataset data = dataset().data();
      // With splits, zero-shot scores the test split, as the supervised protocols do.
      ClassificationDataset scored = data.hasSplits() ? data.split(e.testSplit()) : data;
      ClassNames names = e.classNames() != null ? ClassNames.withOverrides(e.classNames()) : ClassNames.builtIn();
      return ZeroShotRequest.of(scored, names, templates(e.templates()), ds.ensemble());
    }
    if (!hasCachedClassification() || ds.classEmbeddings().isEmpty()) {
      return null;
    }
    // Published zero-shot figures score every image of an images/labels pair: there is nothing to train.
    return ds.trainImages() != null
        ? EmbeddingFiles.zeroShot(ds.testImages(), ds.testLabels(), ds.classEmbeddings(), ds.classes(), ds.ensemble())
        : EmbeddingFiles.zeroShot(ds.images(), ds.labels(), ds.classEmbeddings(), ds.classes(), ds.ensemble());
  }

  private boolean supervised() {
    return isEncodedClassificationSet() || hasCachedClassification();
  }

  private TrainTestRows rows() throws IOException, RemoteClipException {
    if (rows == null) {
      if (isEncodedClassificationSet()) {
        rows = evaluator.rows(dataset());
      } else if (ds.trainImages() != null) {
        rows = EmbeddingFiles.trainTest(ds.trainImages(), ds.trainLabels(), ds.testImages(), ds.testLabels(),
            ds.classes());
      } else {
        rows = EmbeddingFiles.stratified(ds.images(), ds.labels(), config.trainFraction(), config.splitSeed(),
            ds.classes());
      }
    }
    return rows;
  }

  private SupervisedInput.Dataset dataset() throws IOException, DataFormatException {
    if (dataset == null) {
      BenchmarkConfig.EndToEnd e = ds.endToEnd();
      SplitRule rule = new SplitRule(e.trainSplits(), e.testSplit(), config.trainFraction(), config.splitSeed());
      dataset = SupervisedInput.Dataset.load(e.dataset(), e.splitFrom(), rule);
    }
    return dataset;
  }

  private RetrievalRequest retrieval() throws IOException, DataFormatException {
    BenchmarkConfig.EndToEnd e = ds.endToEnd();
    if (endToEnd && e != null && e.dataset() != null && isJson(e.dataset())) {
      return RetrievalRequest.of(e.dataset(), e.retrievalSplit());
    }
    if (ds.images() == null || ds.texts() == null || ds.textToImage() == null) {
      return null;
    }
    return EmbeddingFiles.retrieval(ds.images(), ds.texts(), ds.textToImage());
  }

  private CountingRequest counting() throws IOException, DataFormatException {
    if (endToEnd && ds.countingItems() != null && ds.countingImages() == null && ds.countingCaptions() == null) {
      return new CountingRequest(CountingItems.load(EmbeddingFiles.existing(ds.countingItems())),
          new CountingRequest.Captions(CountingCaptions.defaults()));
    }
    if (ds.countingItems() == null || ds.countingImages() == null || ds.countingCaptions() == null) {
      return null;
    }
    return EmbeddingFiles.counting(ds.countingItems(), ds.countingImages(), ds.countingCaptions());
  }

  /** An end-to-end data set that is a class folder or label CSV (a caption JSON is for retrieval). */
  private boolean isEncodedClassificationSet() {
    return endToEnd && ds.endToEnd() != null && ds.endToEnd().dataset() != null && !isJson(ds.endToEnd().dataset());
  }

  private boolean hasCachedClassification() {
    return (ds.images() != null && ds.labels() != null)
        || (ds.trainImages() != null && ds.trainLabels() != null && ds.testImages() != null && ds.testLabels() != null);
  }

  private List<String> templates(String value) throws IOException, DataFormatException {
    try {
      return PromptTemplates.resolve(value, config.file().toAbsolutePath().getParent());
    } catch (IllegalArgumentException ex) {
      throw new DataFormatException(config.file() + ": " + ds.name() + ": templates '" + value
          + "' is neither a file nor a built-in set (single, remote-sensing)");
    }
  }

  private static boolean isJson(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }
}

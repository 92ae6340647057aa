package io.remoteclip.eval.protocol;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.Encoder;
import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.Counting;
import io.remoteclip.eval.CountingItem;
import io.remoteclip.eval.EncoderEvaluations;
import io.remoteclip.eval.FewShot;
import io.remoteclip.eval.Knn;
import io.remoteclip.eval.LinearProbe;
import io.remoteclip.eval.Retrieval;
import io.remoteclip.eval.Splits;
import io.remoteclip.eval.ZeroShot;
import io.remoteclip.eval.transductive.TransClipOptions;
import io.remoteclip.eval.transductive.TransductiveZeroShot;
import io.remoteclip.dataset.ClassificationDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs evaluation requests: the one place where each protocol's inputs are resolved (data sets encoded,
 * split) and its algorithm is called. Both {@code remoteclip eval …} and the benchmark runner go through it.
 * The encoder (wrap it in a {@link io.remoteclip.encode.CachedEncoder} to reuse embeddings) is only needed
 * for requests that {@link EvalRequest#needsEncoder() encode}.
 */
public final class Evaluator {
  private final Encoder encoder;
  private final ProgressListener progress;

  /**
   * @param encoder the model for end-to-end requests, or {@code null} for embeddings only
   * @param progress told about encoding and about the longer fits (C search, few-shot runs)
   */
  public Evaluator(Encoder encoder, ProgressListener progress) {
    this.encoder = encoder;
    this.progress = progress;
  }

  /** An evaluator for requests whose inputs are all embeddings. */
  public static Evaluator onEmbeddings() {
    return new Evaluator(null, ProgressListener.NONE);
  }

  public EvalResult run(EvalRequest request) throws IOException, RemoteClipException {
    return switch (request.protocol()) {
      case ZEROSHOT -> zeroShot((ZeroShotRequest) request);
      case ZEROSHOT_TRANSDUCTIVE -> transductiveZeroShot((TransductiveZeroShotRequest) request);
      case LINEAR_PROBE -> linearProbe((LinearProbeRequest) request);
      case KNN -> knn((KnnRequest) request);
      case FEWSHOT -> fewShot((FewShotRequest) request);
      case RETRIEVAL -> retrieval((RetrievalRequest) request);
      case COUNTING -> counting((CountingRequest) request);
    };
  }

  public ZeroShotResult zeroShot(ZeroShotRequest r) throws IOException, RemoteClipException {
    ZeroShotInputs in = inputs(r);
    ClassificationMetrics m = ZeroShot.evaluate(in.images, in.labels, in.classVectors);
    return in.result(m, r);
  }

  /**
   * The images of {@code r.zeroShot()} classified jointly; the solver's input errors (too few images, NaN
   * rows) are {@link io.remoteclip.eval.transductive.TransClipInputException}s.
   */
  public TransductiveZeroShotResult transductiveZeroShot(TransductiveZeroShotRequest r)
      throws IOException, RemoteClipException {
    ZeroShotInputs in = inputs(r.zeroShot());
    // Encoded here, the model is known: a SigLIP's text prior is the softmax of its own logits.
    TransClipOptions options = r.zeroShot().needsEncoder()
        ? r.options().withTextScale(encoder.logitScale().factor()) : r.options();
    TransductiveZeroShot.Evaluation e = TransductiveZeroShot.evaluate(in.images, in.labels, in.classVectors, options);
    return new TransductiveZeroShotResult(in.result(e.transductive(), r.zeroShot()), e.inductive(),
        options.neighbors(), options.textScale());
  }

  /** A zero-shot request's images, labels and class vectors, encoded where the request says so. */
  private record ZeroShotInputs(float[][] images, int[] labels, float[][] classVectors, List<String> names,
      List<String> readable, int templates) {
    ZeroShotResult result(ClassificationMetrics m, ZeroShotRequest r) {
      return new ZeroShotResult(m, names, readable, templates, templates == 1 ? null : r.ensemble());
    }
  }

  private ZeroShotInputs inputs(ZeroShotRequest r) throws IOException, RemoteClipException {
    float[][] images;
    int[] labels;
    List<String> names;
    if (r.images() instanceof ZeroShotRequest.Embeddings e) {
      images = e.rows();
      labels = e.labels();
      names = e.classNames();
    } else {
      ClassificationDataset d = ((ZeroShotRequest.Dataset) r.images()).data();
      images = encoder().encodeImages(d.images(), progress);
      labels = d.labels();
      names = d.classes();
    }
    List<float[][]> perTemplate;
    List<String> readable;
    if (r.classes() instanceof ZeroShotRequest.Prompts p) {
      perTemplate = EncoderEvaluations.templateEmbeddings(encoder(), p.readableNames(), p.templates(), progress);
      readable = p.readableNames();
    } else {
      perTemplate = ((ZeroShotRequest.TemplateEmbeddings) r.classes()).perTemplate();
      readable = names;
    }
    float[][] classVectors = perTemplate.size() == 1 ? perTemplate.get(0) : r.ensemble().classVectors(perTemplate);
    ZeroShot.requireClasses(names, "zero-shot");
    if (classVectors.length != names.size()) {
      throw new IllegalArgumentException("class vectors=" + classVectors.length + " classNames=" + names.size());
    }
    return new ZeroShotInputs(images, labels, classVectors, names, readable, perTemplate.size());
  }

  public LinearProbeResult linearProbe(LinearProbeRequest r) throws IOException, RemoteClipException {
    TrainTestRows d = rows(r.data());
    LinearProbe.Result probe;
    if (r.search() != null) {
      LinearProbeRequest.CSearch s = r.search();
      Splits.TrainTest tv = Splits.stratified(d.trainLabels(), 1 - s.validationFraction(), s.seed());
      probe = LinearProbe.searchAndEvaluate(Splits.rows(d.train(), tv.train()), Splits.at(d.trainLabels(), tv.train()),
          Splits.rows(d.train(), tv.test()), Splits.at(d.trainLabels(), tv.test()), d.test(), d.testLabels(),
          d.classes(), s.grid(), r.maxIterations(), progress);
    } else {
      probe = LinearProbe.evaluate(d.train(), d.trainLabels(), d.test(), d.testLabels(), d.classes(), r.c(),
          r.maxIterations());
    }
    return new LinearProbeResult(probe, d.classNames(), d.train().length, d.source());
  }

  public KnnResult knn(KnnRequest r) throws IOException, RemoteClipException {
    TrainTestRows d = rows(r.data());
    ClassificationMetrics m = Knn.evaluate(d.train(), d.trainLabels(), d.test(), d.testLabels(), d.classes(), r.k(),
        r.temperature());
    return new KnnResult(m, d.classNames(), d.train().length, r.k(), r.temperature(), d.source());
  }

  /** Refused when a class has fewer training rows than a K asks for: the row would be labelled K-shot but use fewer. */
  public FewShotResult fewShot(FewShotRequest r) throws IOException, RemoteClipException {
    TrainTestRows d = rows(r.data());
    int[] perClass = new int[d.classes()];
    for (int l : d.trainLabels()) {
      perClass[l]++;
    }
    int k = Arrays.stream(r.shots()).max().orElse(0);
    for (int c = 0; c < perClass.length; c++) {
      if (perClass[c] < k) {
        throw new DataFormatException(d.source() + ": class '" + d.classNames().get(c) + "' has " + perClass[c]
            + " training rows, fewer than the " + k + " shots asked for");
      }
    }
    List<FewShot.Shot> shots = FewShot.evaluate(d.train(), d.trainLabels(), d.test(), d.testLabels(), d.classes(),
        r.shots(), r.seeds(), r.seed(), r.c(), r.maxIterations(), progress);
    return new FewShotResult(shots, d.classes(), d.test().length, r.seeds(), r.seed(), r.c(), d.source());
  }

  public RetrievalResult retrieval(RetrievalRequest r) throws IOException, RemoteClipException {
    if (r.input() instanceof RetrievalRequest.Embeddings e) {
      return new RetrievalResult(Retrieval.evaluate(e.images(), e.texts(), e.textToImage()));
    }
    RetrievalRequest.Captions c = (RetrievalRequest.Captions) r.input();
    return new RetrievalResult(EncoderEvaluations.retrieval(encoder(), c.split(), progress));
  }

  public CountingResult counting(CountingRequest r) throws IOException, RemoteClipException {
    if (r.input() instanceof CountingRequest.Embeddings e) {
      int[] counts = r.items().stream().mapToInt(CountingItem::count).toArray();
      return new CountingResult(Counting.evaluate(e.images(), e.captions(), counts));
    }
    CountingRequest.Captions c = (CountingRequest.Captions) r.input();
    return new CountingResult(EncoderEvaluations.counting(encoder(), r.items(), c.captions(), progress));
  }

  /**
   * The train and test rows of {@code input}: as given, or the data set split by its rule and encoded
   * (training images first, in one pass through the encoder).
   */
  public TrainTestRows rows(SupervisedInput input) throws IOException, RemoteClipException {
    if (input instanceof TrainTestRows rows) {
      return rows;
    }
    SupervisedInput.Dataset in = (SupervisedInput.Dataset) input;
    ClassificationDataset d = in.data();
    Splits.TrainTest tt = in.rule().apply(d, in.splitSource().toString());
    List<Path> paths = new ArrayList<>();
    for (int i : tt.train()) {
      paths.add(d.images().get(i));
    }
    for (int i : tt.test()) {
      paths.add(d.images().get(i));
    }
    float[][] rows = encoder().encodeImages(paths, progress);
    int n = tt.train().length;
    return new TrainTestRows(Arrays.copyOfRange(rows, 0, n), Splits.at(d.labels(), tt.train()),
        Arrays.copyOfRange(rows, n, rows.length), Splits.at(d.labels(), tt.test()), d.classes().size(), d.classes(),
        in.describe());
  }

  private Encoder encoder() {
    if (encoder == null) {
      throw new IllegalStateException("this request encodes a data set, but the evaluator has no encoder");
    }
    return encoder;
  }
}

package io.remoteclip.eval.benchmark;

import io.remoteclip.encode.Encoder;
import io.remoteclip.encode.KeyedEncoder;
import io.remoteclip.encode.CachedEncoder;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.dataset.CaptionDataset;
import io.remoteclip.dataset.ClassNames;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.dataset.Datasets;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.CountingCaptions;
import io.remoteclip.eval.EncoderEvaluations;
import io.remoteclip.eval.PromptTemplates;
import io.remoteclip.eval.SplitRule;
import io.remoteclip.hub.HubSettings;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.model.Activation;
import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.Counting;
import io.remoteclip.eval.CountingItem;
import io.remoteclip.eval.CountingItems;
import io.remoteclip.eval.FewShot;
import io.remoteclip.eval.Knn;
import io.remoteclip.eval.LinearProbe;
import io.remoteclip.eval.Retrieval;
import io.remoteclip.eval.Splits;
import io.remoteclip.eval.ZeroShot;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs every (model, data set, protocol) of a {@link BenchmarkConfig}, on cached embeddings or, for a
 * model entry with {@code model:}, by encoding its data sets through the embedding cache. A protocol
 * whose inputs a data set does not declare is recorded as skipped; bad input files fail the run.
 */
public final class BenchmarkRunner {
  private final BenchmarkConfig config;
  private final ProgressListener progress;
  private final Consumer<String> log;

  public BenchmarkRunner(BenchmarkConfig config, ProgressListener progress, Consumer<String> log) {
    this.config = config;
    this.progress = progress;
    this.log = log;
  }

  public List<BenchmarkResult> run() throws IOException, RemoteClipException {
    List<BenchmarkResult> out = new ArrayList<>();
    int total = config.models().stream().mapToInt(m -> m.datasets().size()).sum() * config.protocols().size();
    progress.start("benchmark", total);
    int done = 0;
    try {
      for (BenchmarkConfig.Model model : config.models()) {
        ClipEncoder clip = model.source() == null ? null : open(model.source());
        try {
          CachedEncoder encoder = clip == null ? null : new CachedEncoder(
              new KeyedEncoder(clip, KeyedEncoder.settingsKey(model.source().vocab(), null)), cacheDir());
          for (BenchmarkConfig.Dataset ds : model.datasets()) {
            Classification data = null;
            for (String protocol : config.protocols()) {
              if (isClassification(protocol) && data == null) {
                if (encoder != null && isClassificationSet(ds)) {
                  data = Classification.encode(ds, config, encoder);
                } else if (hasClassification(ds)) {
                  data = Classification.load(ds, config);
                }
              }
              BenchmarkResult r = runOne(model.name(), ds, protocol, data, encoder);
              out.add(r);
              log.accept(describe(r));
              progress.update(++done);
            }
          }
          if (encoder != null) {
            log.accept(model.name() + ": embeddings " + encoder.hits() + " cached, " + encoder.misses() + " encoded (cache "
                + cacheDir() + ")");
          }
        } finally {
          if (clip != null) {
            clip.close();
          }
        }
      }
    } finally {
      progress.finish();
    }
    return out;
  }

  private Path cacheDir() {
    return config.cacheDir() != null ? config.cacheDir() : HubSettings.fromEnvironment().cacheDir().resolve("embeddings");
  }

  private static ClipEncoder open(BenchmarkConfig.ModelSource s) throws IOException, RemoteClipException {
    ResolvedModel resolved = ModelResolver.fromEnvironment().resolve(s.model(), s.vocab(), ProgressListener.NONE);
    ClipEncoder.Options options = ClipEncoder.Options.defaults().withConfig(s.config())
        .withActivation(s.activation() == null ? null : Activation.parse(s.activation()));
    return ClipEncoder.open(resolved, options, ProgressListener.NONE);
  }

  /** An end-to-end data set that is a class folder or label CSV (a caption JSON is for retrieval). */
  private static boolean isClassificationSet(BenchmarkConfig.Dataset d) {
    return d.endToEnd() != null && d.endToEnd().dataset() != null && !isJson(d.endToEnd().dataset());
  }

  private static boolean isJson(Path p) {
    return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
  }

  private static boolean isClassification(String protocol) {
    return !protocol.equals("retrieval") && !protocol.equals("counting");
  }

  private static boolean hasClassification(BenchmarkConfig.Dataset d) {
    return (d.images() != null && d.labels() != null)
        || (d.trainImages() != null && d.trainLabels() != null && d.testImages() != null && d.testLabels() != null);
  }

  private BenchmarkResult runOne(String model, BenchmarkConfig.Dataset ds, String protocol, Classification data,
      Encoder encoder) throws IOException, RemoteClipException {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (protocol) {
      case "zeroshot" -> {
        if (data == null || (ds.classEmbeddings().isEmpty() && data.classVectors == null)) {
          return skipped(model, ds, protocol, "needs images, labels and class_embeddings");
        }
        List<float[][]> perTemplate = new ArrayList<>();
        for (Path p : ds.classEmbeddings()) {
          perTemplate.add(Npy.readMatrix(p));
        }
        float[][] classes = data.classVectors != null ? data.classVectors
            : perTemplate.size() == 1 ? perTemplate.get(0) : ds.ensemble().classVectors(perTemplate);
        check(classes.length == data.classes, data.classVectors != null ? ds.endToEnd().dataset()
            : ds.classEmbeddings().get(0), classes.length + " class rows but labels use "
            + data.classes + " classes");
        ClassificationMetrics r = ZeroShot.evaluate(data.zeroShotImages, data.zeroShotLabels, classes);
        m.putAll(r.summary());
        m.put("templates", data.classVectors != null ? data.templates : perTemplate.size());
        m.put("ensemble", ds.ensemble().id());
        m.put("per_class_recall", perClass(r, data.classNames));
      }
      case "linear-probe" -> {
        if (data == null) {
          return skipped(model, ds, protocol, "needs classification embeddings");
        }
        LinearProbe.Result r = LinearProbe.evaluate(data.train, data.trainLabels, data.test, data.testLabels,
            data.classes, config.linearC(), config.maxIterations());
        m.putAll(r.metrics().summary());
        m.put("C", r.c());
        m.put("per_class_recall", perClass(r.metrics(), data.classNames));
      }
      case "knn" -> {
        if (data == null) {
          return skipped(model, ds, protocol, "needs classification embeddings");
        }
        ClassificationMetrics r = Knn.evaluate(data.train, data.trainLabels, data.test, data.testLabels, data.classes,
            config.knnK(), config.knnTemperature());
        m.putAll(r.summary());
        m.put("k", config.knnK());
        m.put("temperature", config.knnTemperature());
      }
      case "fewshot" -> {
        if (data == null) {
          return skipped(model, ds, protocol, "needs classification embeddings");
        }
        List<FewShot.Shot> shots = FewShot.evaluate(data.train, data.trainLabels, data.test, data.testLabels,
            data.classes, config.shots(), config.fewShotSeeds(), config.fewShotSeed(), config.linearC(),
            config.maxIterations(), ProgressListener.NONE);
        List<Object> rows = new ArrayList<>();
        for (FewShot.Shot s : shots) {
          rows.add(s.summary());
        }
        m.put("seeds", config.fewShotSeeds());
        m.put("shots", rows);
      }
      case "retrieval" -> {
        BenchmarkConfig.EndToEnd e = ds.endToEnd();
        if (encoder != null && e != null && e.dataset() != null && isJson(e.dataset())) {
          CaptionDataset all = Datasets.captions(e.dataset());
          CaptionDataset part = e.retrievalSplit().equals("all") ? all : all.split(e.retrievalSplit());
          check(!part.images().isEmpty(), e.dataset(), "no images in split '" + e.retrievalSplit() + "'");
          m.putAll(EncoderEvaluations.retrieval(encoder, part, ProgressListener.NONE).summary());
          m.put("split", e.retrievalSplit());
          break;
        }
        if (ds.images() == null || ds.texts() == null || ds.textToImage() == null) {
          return skipped(model, ds, protocol, "needs images, texts and text_to_image");
        }
        float[][] images = Npy.readMatrix(ds.images());
        float[][] texts = Npy.readMatrix(ds.texts());
        int[] owner = Npy.readLabels(ds.textToImage());
        check(owner.length == texts.length, ds.textToImage(), owner.length + " entries for " + texts.length + " texts");
        for (int o : owner) {
          check(o >= 0 && o < images.length, ds.textToImage(), "image index " + o + " outside 0.." + (images.length - 1));
        }
        m.putAll(Retrieval.evaluate(images, texts, owner).summary());
      }
      case "counting" -> {
        if (encoder != null && ds.countingItems() != null && ds.countingImages() == null && ds.countingCaptions() == null) {
          List<CountingItem> items = CountingItems.load(ds.countingItems());
          m.putAll(EncoderEvaluations.counting(encoder, items, CountingCaptions.defaults(), ProgressListener.NONE).summary());
          break;
        }
        if (ds.countingItems() == null || ds.countingImages() == null || ds.countingCaptions() == null) {
          return skipped(model, ds, protocol, "needs counting_items, counting_images and counting_captions");
        }
        List<CountingItem> items = CountingItems.load(ds.countingItems());
        float[][] images = Npy.readMatrix(ds.countingImages());
        NpyArray c = Npy.read(ds.countingCaptions());
        int[] s = c.shape();
        float[][] captions = s.length == 3 ? new NpyArray(c.dtype(), new int[] {s[0] * s[1], s[2]}, c.data()).matrix()
            : c.matrix();
        check(images.length == items.size(), ds.countingImages(), images.length + " rows for " + items.size() + " items");
        check(captions.length == 10 * items.size(), ds.countingCaptions(), captions.length + " rows, expected 10 per item");
        m.putAll(Counting.evaluate(images, captions, items.stream().mapToInt(CountingItem::count).toArray()).summary());
      }
      default -> throw new IllegalStateException("protocol " + protocol);
    }
    return new BenchmarkResult(model, ds.name(), protocol, m, null);
  }

  private static BenchmarkResult skipped(String model, BenchmarkConfig.Dataset ds, String protocol, String why) {
    return new BenchmarkResult(model, ds.name(), protocol, null, why);
  }

  private static Map<String, Object> perClass(ClassificationMetrics r, List<String> names) {
    Map<String, Object> pc = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      pc.put(names.get(k), r.perClassRecall()[k]);
    }
    return pc;
  }

  private static void check(boolean ok, Path file, String problem) throws DataFormatException {
    if (!ok) {
      throw new DataFormatException(file + ": " + problem);
    }
  }

  static String describe(BenchmarkResult r) {
    String head = r.model() + " / " + r.dataset() + " / " + r.protocol() + ": ";
    if (r.skipped() != null) {
      return head + "skipped (" + r.skipped() + ")";
    }
    return switch (r.protocol()) {
      case "retrieval" -> head + String.format("mean recall %.2f", r.metric("mean_recall"));
      case "counting" -> head + String.format("top-1 %.2f, top-3 %.2f", r.metric("top1"), r.metric("top3"));
      case "fewshot" -> head + "done";
      default -> head + String.format("top-1 %.2f", r.metric("top1"));
    };
  }

  /** Loaded classification embeddings: the train/test rows and the rows zero-shot is scored on. */
  private static final class Classification {
    float[][] train;
    int[] trainLabels;
    float[][] test;
    int[] testLabels;
    float[][] zeroShotImages;
    int[] zeroShotLabels;
    int classes;
    List<String> classNames;
    float[][] classVectors;
    int templates;

    /** Encodes an end-to-end data set; zero-shot scores the test rows when it has splits, else every image. */
    static Classification encode(BenchmarkConfig.Dataset d, BenchmarkConfig config, Encoder encoder)
        throws IOException, RemoteClipException {
      BenchmarkConfig.EndToEnd e = d.endToEnd();
      ClassificationDataset data = Datasets.classification(e.dataset());
      if (e.splitFrom() != null) {
        data = Datasets.withSplitsFrom(data, e.splitFrom());
      }
      SplitRule rule = new SplitRule(e.trainSplits(), e.testSplit(), config.trainFraction(), config.splitSeed());
      Splits.TrainTest tt = rule.apply(data, (e.splitFrom() != null ? e.splitFrom() : e.dataset()).toString());
      float[][] all = encoder.encodeImages(data.images(), ProgressListener.NONE);
      Classification c = new Classification();
      c.train = Splits.rows(all, tt.train());
      c.trainLabels = Splits.at(data.labels(), tt.train());
      c.test = Splits.rows(all, tt.test());
      c.testLabels = Splits.at(data.labels(), tt.test());
      c.zeroShotImages = data.hasSplits() ? c.test : all;
      c.zeroShotLabels = data.hasSplits() ? c.testLabels : data.labels();
      c.classes = data.classes().size();
      c.classNames = data.classes();
      ClassNames names = e.classNames() != null ? ClassNames.withOverrides(e.classNames()) : ClassNames.builtIn();
      List<String> prompts = templates(e.templates(), config);
      c.templates = prompts.size();
      c.classVectors = d.ensemble().classVectors(EncoderEvaluations.templateEmbeddings(encoder,
          names.readable(data.classes()), prompts, ProgressListener.NONE));
      return c;
    }

    private static List<String> templates(String value, BenchmarkConfig config) throws IOException, DataFormatException {
      Path file = config.file().toAbsolutePath().getParent().resolve(value);
      if (Files.isRegularFile(file)) {
        return PromptTemplates.load(file);
      }
      try {
        return PromptTemplates.builtIn(value);
      } catch (IllegalArgumentException ex) {
        throw new DataFormatException(config.file() + ": templates '" + value + "' is neither a file nor a built-in set "
            + "(single, remote-sensing)");
      }
    }

    static Classification load(BenchmarkConfig.Dataset d, BenchmarkConfig config) throws IOException, DataFormatException {
      Classification c = new Classification();
      if (d.trainImages() != null) {
        c.train = Npy.readMatrix(d.trainImages());
        c.trainLabels = labels(d.trainLabels(), c.train.length, d.trainImages());
        c.test = Npy.readMatrix(d.testImages());
        c.testLabels = labels(d.testLabels(), c.test.length, d.testImages());
        c.zeroShotImages = c.test;
        c.zeroShotLabels = c.testLabels;
      } else {
        float[][] all = Npy.readMatrix(d.images());
        int[] l = labels(d.labels(), all.length, d.images());
        Splits.TrainTest s = Splits.stratified(l, config.trainFraction(), config.splitSeed());
        c.train = Splits.rows(all, s.train());
        c.trainLabels = Splits.at(l, s.train());
        c.test = Splits.rows(all, s.test());
        c.testLabels = Splits.at(l, s.test());
        // Published zero-shot figures score every image: there is nothing to train.
        c.zeroShotImages = all;
        c.zeroShotLabels = l;
      }
      int max = 0;
      for (int v : c.zeroShotLabels) {
        max = Math.max(max, v);
      }
      for (int v : c.trainLabels) {
        max = Math.max(max, v);
      }
      c.classes = max + 1;
      if (d.classes() != null) {
        List<String> names = Files.readAllLines(d.classes()).stream().map(String::strip).filter(x -> !x.isEmpty()).toList();
        check(names.size() >= c.classes, d.classes(), names.size() + " names but labels use " + c.classes + " classes");
        c.classes = names.size();
        c.classNames = names;
      } else {
        c.classNames = java.util.stream.IntStream.range(0, c.classes).mapToObj(Integer::toString).toList();
      }
      return c;
    }

    private static int[] labels(Path file, int rows, Path rowsFile) throws IOException, DataFormatException {
      if (file == null) {
        throw new DataFormatException(rowsFile + ": no labels file given for it");
      }
      int[] l = Npy.readLabels(file);
      check(l.length == rows, file, l.length + " labels but " + rowsFile + " has " + rows + " rows");
      for (int v : l) {
        check(v >= 0, file, "negative label " + v);
      }
      return l;
    }
  }
}

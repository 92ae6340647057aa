package io.remoteclip.eval.benchmark;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
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
 * Runs every (model, data set, protocol) of a {@link BenchmarkConfig} on cached embeddings. A protocol
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

  public List<BenchmarkResult> run() throws IOException, DataFormatException {
    List<BenchmarkResult> out = new ArrayList<>();
    int total = config.models().stream().mapToInt(m -> m.datasets().size()).sum() * config.protocols().size();
    progress.start("benchmark", total);
    int done = 0;
    try {
      for (BenchmarkConfig.Model model : config.models()) {
        for (BenchmarkConfig.Dataset ds : model.datasets()) {
          Classification data = null;
          for (String protocol : config.protocols()) {
            BenchmarkResult r;
            if (isClassification(protocol) && data == null && hasClassification(ds)) {
              data = Classification.load(ds, config);
            }
            r = runOne(model.name(), ds, protocol, data);
            out.add(r);
            log.accept(describe(r));
            progress.update(++done);
          }
        }
      }
    } finally {
      progress.finish();
    }
    return out;
  }

  private static boolean isClassification(String protocol) {
    return !protocol.equals("retrieval") && !protocol.equals("counting");
  }

  private static boolean hasClassification(BenchmarkConfig.Dataset d) {
    return (d.images() != null && d.labels() != null)
        || (d.trainImages() != null && d.trainLabels() != null && d.testImages() != null && d.testLabels() != null);
  }

  private BenchmarkResult runOne(String model, BenchmarkConfig.Dataset ds, String protocol, Classification data)
      throws IOException, DataFormatException {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (protocol) {
      case "zeroshot" -> {
        if (data == null || ds.classEmbeddings().isEmpty()) {
          return skipped(model, ds, protocol, "needs images, labels and class_embeddings");
        }
        List<float[][]> perTemplate = new ArrayList<>();
        for (Path p : ds.classEmbeddings()) {
          perTemplate.add(Npy.readMatrix(p));
        }
        float[][] classes = perTemplate.size() == 1 ? perTemplate.get(0) : ds.ensemble().classVectors(perTemplate);
        check(classes.length == data.classes, ds.classEmbeddings().get(0), classes.length + " class rows but labels use "
            + data.classes + " classes");
        ClassificationMetrics r = ZeroShot.evaluate(data.zeroShotImages, data.zeroShotLabels, classes);
        m.putAll(r.summary());
        m.put("templates", perTemplate.size());
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
          Map<String, Object> x = new LinkedHashMap<>();
          x.put("k", s.k());
          x.put("top1_mean", s.mean());
          x.put("top1_std", s.std());
          x.put("top1_per_seed", s.top1PerSeed());
          rows.add(x);
        }
        m.put("seeds", config.fewShotSeeds());
        m.put("shots", rows);
      }
      case "retrieval" -> {
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

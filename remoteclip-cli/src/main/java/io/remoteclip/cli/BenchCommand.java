package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.EngineThreads;
import io.remoteclip.DataFormatException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.Resample;
import io.remoteclip.model.Architectures;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipInit;
import io.remoteclip.model.ClipModel;
import io.remoteclip.model.ClipTowers;
import io.remoteclip.model.Precision;
import io.remoteclip.onnx.OnnxSgemm;
import io.remoteclip.perf.OpProfile;
import io.remoteclip.perf.Sgemm;
import io.remoteclip.cli.perf.CeilingShare;
import io.remoteclip.cli.perf.MemoryTrace;
import io.remoteclip.cli.perf.SgemmCeiling;
import io.remoteclip.cli.perf.Throughput;
import io.remoteclip.cli.perf.Throughput.Measurement;
import io.remoteclip.onnx.OnnxEngine;
import io.remoteclip.onnx.OnnxExport;
import io.remoteclip.onnx.OnnxTowers;
import io.remoteclip.onnx.Quantization;
import java.nio.file.Files;
import io.remoteclip.tokenizer.ClipTokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Throughput of a model (random-initialised of a named architecture, or real weights), pure and end to end. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {BenchTransductiveCommand.class, BenchServeCommand.class, BenchSearchCommand.class,
        BenchArchiveCommand.class},
    description = {
      "Measures encoding throughput (images/s, texts/s: median, min, max over timed iterations after warm-up),",
      "peak heap and peak resident memory, on a random-initialised model of the named architecture",
      "(or on real weights with --model). The same measurement as the PyTorch baseline (bench/compare.sh).",
      "With --images DIR, also measures end to end: decode + preprocess + encode of the image files of DIR",
      "through the encoder's parallel input pipeline, against the pure model throughput (ratio; target >= 85%%).",
      "`bench transductive` measures the transductive zero-shot solver instead; `bench serve` loads a running server;",
      "`bench search` measures the vector index (recall@k against queries/s)."
    },
    footer = {"%nExamples:",
        "  remoteclip bench --arch ViT-B-32 --batch-size 32 --threads 2 --tower both --json",
        "  remoteclip bench --arch RN50 --tower image --precision bf16",
        "  remoteclip bench --arch ViT-B-32 --tower image --threads 2 --engine onnxruntime --quantize int8",
        "  remoteclip bench --arch RN50 --tower image --threads 2 --ceiling",
        "  remoteclip bench --arch ViT-B-32 --threads 2 --images ../shared/data/ucm-captions/images --max-images 256",
        "  remoteclip bench --model remoteclip-mini --images ../shared/data/ucm-captions/images --repeat 3 --max-images 0"})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--arch", defaultValue = "ViT-B-32",
      description = "Random-initialised architecture when --model is not given: ViT-B-32, ViT-B-16, ViT-L-14, ViT-L-14-336, "
          + "ViT-H-14, RN50, RN101 or a custom spec (default: ${DEFAULT-VALUE}).")
  String arch;

  @Option(names = "--tower", defaultValue = "both", description = "image, text or both (default: ${DEFAULT-VALUE}).")
  String tower;

  @Option(converter = Ranges.NonNegative.class, names = "--warmup", defaultValue = "2",
      description = "Untimed iterations first (default: ${DEFAULT-VALUE})." + Ranges.NonNegative.HELP)
  int warmup;

  @Option(converter = Ranges.Positive.class, names = "--iters", defaultValue = "5",
      description = "Timed iterations (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int iters;

  @Option(names = "--images", paramLabel = "DIR", description = "Also measure end to end over the image files of DIR (recursive).")
  Path images;

  @Option(converter = Ranges.NonNegative.class, names = "--max-images", defaultValue = "256",
      description = "End to end: use at most this many files of DIR, 0 = all (default: ${DEFAULT-VALUE})."
          + Ranges.NonNegative.HELP)
  int maxImages;

  @Option(converter = Ranges.Positive.class, names = "--repeat", defaultValue = "1",
      description = "End to end: encode the file list this many times in one run (memory must stay flat; default: ${DEFAULT-VALUE})."
          + Ranges.Positive.HELP)
  int repeat;

  @Option(names = "--int8-cosine",
      description = "With --engine onnxruntime --quantize int8 and --images: also encode the images with the fp32 export "
          + "and print the cosine between int8 and fp32 features (mean, min, 1st percentile).")
  boolean int8Cosine;

  @Option(names = "--ceiling",
      description = "Also measure the engine's own fp32 matrix product (sgemm n×n×n, same threads and device) in this run "
          + "and print each tower's FLOP rate as a share of it (FLOPs counted from the architecture).")
  boolean ceiling;

  @Option(converter = Ranges.MatrixSide.class, names = "--ceiling-size", defaultValue = "1024,2048,4096", split = ",", paramLabel = "N",
      description = "Sides of the square matrices of --ceiling; the ceiling is the best size's median rate "
          + "(default: ${DEFAULT-VALUE})." + Ranges.MatrixSide.HELP)
  List<Integer> ceilingSizes;

  @Option(names = "--profile", paramLabel = "FILE",
      description = "DJL engine: run one more iteration of each tower under PyTorch's profiler, write its Chrome trace "
          + "to FILE (FILE.text.json for the text tower) and print the operators taking most time.")
  Path profile;

  @Option(names = "--json", description = "One JSON object per measurement (same keys as the PyTorch baseline).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!List.of("image", "text", "both").contains(tower)) {
      throw Usage.error(spec, "--tower=" + tower + " (expected image, text or both)");
    }
    List<Path> files = images == null ? List.of() : imageFiles();
    if (int8Cosine && (images == null || !modelOptions.onnxRuntime()
        || modelOptions.engineOptions().quantization() != Quantization.INT8)) {
      throw Usage.error(spec, "--int8-cosine needs --engine onnxruntime --quantize int8 --images DIR");
    }
    if (profile != null && modelOptions.onnxRuntime()) {
      throw Usage.error(spec, "--profile profiles the DJL engine; leave out --engine onnxruntime");
    }
    boolean realModel = spec.commandLine().getParseResult().hasMatchedOption("--model");
    int batchSize = modelOptions.batchSize();
    EngineThreads.configure(modelOptions.threads());
    Precision precision = modelOptions.precision();
    String label = realModel ? modelOptions.model() : arch;
    boolean ort = modelOptions.onnxRuntime();
    String engine = modelOptions.engineName();
    String format = ort ? modelOptions.engineOptions().quantization().cliName() : precision.cliName();
    String textLabel = ort ? label + " [onnxruntime " + format + "]" : label;
    try (ClipEncoder encoder = realModel ? modelOptions.open() : randomEncoder(precision, null)) {
      ClipTowers model = encoder.towers();
      List<Measurement> results = new ArrayList<>();
      Random rng = new Random(0);
      Measurement image = null;
      if (!tower.equals("text") || images != null) {
        int s = model.imageSize();
        float[] pixels = new float[batchSize * 3 * s * s];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) rng.nextGaussian();
        }
        image = Throughput.measure("image", batchSize, warmup, iters, () -> model.encodeImages(pixels, batchSize));
        results.add(image);
        if (profile != null) {
          printProfile("image", profile, () -> model.encodeImages(pixels, batchSize));
        }
      }
      if (!tower.equals("image")) {
        long[][] tokens = new long[batchSize][model.contextLength()];
        int length = Math.min(BENCH_TEXT_TOKENS, model.contextLength()); // SigLIP SO400M-14 at 224 has 16 positions
        for (long[] row : tokens) {
          for (int j = 0; j < length - 1; j++) {
            row[j] = 1 + rng.nextInt(Math.min(49405, model.vocabSize() - 3));
          }
          row[length - 1] = model.vocabSize() - 1; // end of text: the largest id, the pooled position
        }
        results.add(Throughput.measure("text", batchSize, warmup, iters, () -> model.encodeTexts(tokens)));
        if (profile != null) {
          Path file = tower.equals("text") ? profile : profile.resolveSibling(profile.getFileName() + ".text.json");
          printProfile("text", file, () -> model.encodeTexts(tokens));
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      int threads = EngineThreads.current();
      CeilingShare share = ceiling ? measureCeiling(model, realModel, out, label, threads, engine) : null;
      for (Measurement m : results) {
        if (share == null) {
          out.println(json ? m.toJson(label, threads, format, engine) : m.toText(textLabel, threads));
        } else {
          out.println(json ? share.json(m, label, threads, format, engine) : share.text(m, textLabel, threads));
        }
      }
      if (images != null) {
        endToEnd(encoder, files, image, json ? label : textLabel, threads, format, engine, out);
      }
      if (int8Cosine) {
        try (ClipEncoder reference = realModel ? modelOptions.openOnnx(Quantization.FP32) : randomEncoder(Quantization.FP32)) {
          cosine(reference, encoder, files, json ? label : textLabel, out);
        }
      }
      out.flush();
    }
    return 0;
  }

  /** One batch under the profiler; the operators by self time to stderr (stdout stays the measurements). */
  private void printProfile(String towerName, Path file, Runnable batch) throws java.io.IOException {
    List<OpProfile.OpTime> ops = OpProfile.record(batch, file);
    double all = ops.stream().mapToDouble(OpProfile.OpTime::selfMs).sum();
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "%s tower, one batch of %d: %.0f ms of operator time (trace: %s)%n", towerName,
        modelOptions.batchSize(), all, file);
    for (OpProfile.OpTime op : ops.subList(0, Math.min(12, ops.size()))) {
      err.printf(Locale.ROOT, "  %-40s %5d calls  self %8.1f ms (%4.1f%%)  total %8.1f ms%n", op.op(), op.calls(),
          op.selfMs(), 100 * op.selfMs() / all, op.totalMs());
    }
    err.flush();
  }

  /** The bench texts: 20 random tokens and the end-of-text token (what a short caption or query costs). */
  private static final int BENCH_TEXT_TOKENS = 21;

  private CeilingShare measureCeiling(ClipTowers model, boolean realModel, PrintWriter out, String label, int threads,
      String engine) throws Exception {
    ClipConfig config = realModel ? configOf(model) : Architectures.parse(arch, 0);
    boolean ort = modelOptions.onnxRuntime();
    OnnxEngine.Options engineOptions = modelOptions.engineOptions();
    SgemmCeiling ceiling = SgemmCeiling.measure(ceilingSizes, n -> {
      try {
        return ort ? OnnxSgemm.open(n, engineOptions.threads(), engineOptions.device()) : Sgemm.djl(n);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    if (json) {
      ceiling.sizes().forEach(size -> out.printf(Locale.ROOT, "{\"measure\": \"sgemm\", \"engine\": \"%s\", "
          + "\"threads\": %d, \"n\": %d, \"median_s\": %.9f, \"gflops\": %.2f}%n",
          engine, threads, size.n(), size.medianS(), size.gflops()));
      out.printf(Locale.ROOT, "{\"measure\": \"sgemm-ceiling\", \"engine\": \"%s\", \"threads\": %d, \"gflops\": %.2f}%n",
          engine, threads, ceiling.gflops());
    } else {
      out.printf(Locale.ROOT, "ceiling   fp32 sgemm threads %d [%s]: %.1f GFLOP/s (best of n = %s GFLOP/s, medians)%n",
          threads, engine, ceiling.gflops(), ceiling.sizesText());
      if (config == null) {
        out.printf("%-9s (a custom architecture exported without its configuration: FLOPs per item unknown)%n", label);
      }
    }
    return new CeilingShare(ceiling.gflops(), config, BENCH_TEXT_TOKENS);
  }

  /** The configuration behind real weights: the DJL model's own, or a named architecture of an ONNX export. */
  private static ClipConfig configOf(ClipTowers model) {
    if (model instanceof ClipModel djl) {
      return djl.config();
    }
    if (model instanceof OnnxTowers ort && !ort.sidecar().architecture().equals("custom")) {
      try {
        return Architectures.parse(ort.sidecar().architecture(), ort.vocabSize());
      } catch (io.remoteclip.ModelConfigException e) {
        return null;
      }
    }
    return null;
  }

  private List<Path> imageFiles() throws Exception {
    List<Path> all = io.remoteclip.image.ImageFiles.expandSome(List.of(images));
    return maxImages > 0 && all.size() > maxImages ? all.subList(0, maxImages) : all;
  }

  /** An encoder around a random-initialised model: OpenAI preprocessing, a byte-level tokenizer (text is not used). */
  private ClipEncoder randomEncoder(Quantization q) throws Exception {
    return randomEncoder(Precision.FP32, q);
  }

  /** {@code onnx}: weights of the ONNX Runtime export, null for the engine the options ask for. */
  private ClipEncoder randomEncoder(Precision precision, Quantization onnx) throws Exception {
    ClipConfig config = Architectures.parse(arch, 0);
    PreprocessConfig pre = new PreprocessConfig(config.vision().imageSize(), PreprocessConfig.OPENAI_MEAN,
        PreprocessConfig.OPENAI_STD, Resample.BICUBIC);
    ClipTowers model = onnx != null || modelOptions.onnxRuntime()
        ? randomOnnx(config, pre, onnx != null ? onnx : modelOptions.engineOptions().quantization())
        : ClipModel.load(ClipInit.random(config, 0), config, "random:" + arch, precision);
    try {
      return new ClipEncoder(model, ClipTokenizer.fromMerges(List.of()), pre, null, modelOptions.batchSize(),
          Runtime.getRuntime().availableProcessors());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The random-initialised model exported to a scratch directory (deleted once ONNX Runtime has loaded it). */
  private ClipTowers randomOnnx(ClipConfig config, PreprocessConfig pre, Quantization q) throws Exception {
    OnnxEngine.Options engine = modelOptions.engineOptions();
    Path scratch = Files.createTempDirectory("remoteclip-bench-onnx");
    try {
      Path dir = scratch.resolve("export");
      OnnxExport.exportWeights(ClipInit.random(config, 0), config, "random:" + arch, arch, null, pre,
          OnnxExport.Options.defaults().withQuantization(q), dir);
      return OnnxTowers.open(dir, engine.threads(), engine.device());
    } finally {
      try (var walk = Files.walk(scratch)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Cosine between int8 and fp32 image features of the same files (what quantisation costs). */
  private void cosine(ClipEncoder fp32, ClipEncoder int8, List<Path> files, String label, PrintWriter out)
      throws DataFormatException {
    ImageEncoding a = fp32.encodeImageFiles(files, false, io.remoteclip.ProgressListener.NONE);
    ImageEncoding b = int8.encodeImageFiles(files, false, io.remoteclip.ProgressListener.NONE);
    float[][] x = io.remoteclip.vector.Vectors.normalizedRows(a.embeddings());
    float[][] y = io.remoteclip.vector.Vectors.normalizedRows(b.embeddings());
    double[] cos = new double[x.length];
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        cos[i] += (double) x[i][j] * y[i][j];
      }
      sum += cos[i];
    }
    java.util.Arrays.sort(cos);
    double mean = sum / cos.length;
    double p1 = cos[(int) Math.floor(0.01 * (cos.length - 1))];
    if (json) {
      out.printf(Locale.ROOT, "{\"arch\": \"%s\", \"engine\": \"onnxruntime\", \"measure\": \"int8-vs-fp32-cosine\", "
          + "\"images\": %d, \"mean\": %.6f, \"min\": %.6f, \"p1\": %.6f}%n", label, cos.length, mean, cos[0], p1);
    } else {
      out.printf(Locale.ROOT, "%-9s int8 vs fp32 image features over %d files: cosine mean %.5f, min %.5f, 1st percentile %.5f%n",
          label, cos.length, mean, cos[0], p1);
    }
  }

  private void endToEnd(ClipEncoder encoder, List<Path> files, Measurement pure, String label, int threads,
      String precision, String engine, PrintWriter out) throws DataFormatException {
    List<Path> warm = files.subList(0, Math.min(files.size(), modelOptions.batchSize()));
    encoder.encodeImageFiles(warm, false, io.remoteclip.ProgressListener.NONE);
    List<Path> run = new ArrayList<>(files.size() * repeat);
    for (int i = 0; i < repeat; i++) {
      run.addAll(files);
    }
    MemoryTrace trace = new MemoryTrace();
    long t0 = System.nanoTime();
    ImageEncoding result = encoder.encodeImageFiles(run, false, trace);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double rate = run.size() / seconds;
    double ratio = rate / pure.itemsPerSecond();
    StringBuilder rss = new StringBuilder();
    for (MemoryTrace.Sample s : trace.spread(6)) {
      rss.append(rss.length() == 0 ? "" : json ? ", " : " ").append(json
          ? String.format(Locale.ROOT, "[%d, %.1f]", s.done(), s.rssBytes() / 1e6)
          : String.format(Locale.ROOT, "%d:%.0f", s.done(), s.rssBytes() / 1e6));
    }
    if (json) {
      out.printf(Locale.ROOT, "{\"arch\": \"%s\", \"batch_size\": %d, \"threads\": %d, \"engine\": \"%s\", "
              + "\"precision\": \"%s\", \"tower\": \"end-to-end\", \"images\": %d, \"failed\": %d, \"seconds\": %.3f, "
              + "\"items_per_s\": %.3f, \"model_items_per_s\": %.3f, \"ratio\": %.3f, \"peak_rss_mb\": %.1f, "
              + "\"rss_mb_by_images\": [%s]}%n",
          label, modelOptions.batchSize(), threads, engine, precision, run.size(), result.failures().size(), seconds, rate,
          pure.itemsPerSecond(), ratio, Throughput.peakRss() / 1e6, rss);
    } else {
      out.printf(Locale.ROOT, "%-9s end-to-end batch %3d threads %d: %8.2f images/s over %d files in %.1fs "
              + "(%d unreadable); pure model %.2f images/s; ratio %.0f%%%n",
          label, modelOptions.batchSize(), threads, rate, run.size(), seconds, result.failures().size(), pure.itemsPerSecond(),
          100 * ratio);
      out.printf(Locale.ROOT, "%-9s RSS MB after N images (N:MB): %s; peak RSS %.0f MB%n", label, rss,
          Throughput.peakRss() / 1e6);
    }
  }
}

package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.cli.ConsoleProgress;
import io.remoteclip.dataset.ClassNames;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.dataset.Datasets;
import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.EncoderEvaluations;
import io.remoteclip.eval.PromptTemplates;
import java.nio.file.Files;
import io.remoteclip.eval.Ensemble;
import io.remoteclip.eval.ZeroShot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code remoteclip eval zeroshot}: zero-shot classification from cached embeddings. */
@Command(
    name = "zeroshot",
    mixinStandardHelpOptions = true,
    description = {
      "Zero-shot scene classification: each image gets the class whose text vector is most similar (cosine).",
      "With several --class-embeddings files (one per prompt template, each [classes, D]) the class vectors are",
      "combined with --ensemble: normalize-first (open_clip/CLIP_benchmark) or average-first (ITRA).",
      "Metrics in percent: top-1, top-5 (5+ classes), mean per-class recall; also per-class recall and confusion.",
      "End to end (--dataset with --model): class names come from the folders/CSV labels made readable",
      "(--class-names FILE overrides), prompts from --templates; embeddings go through the cache (--cache-dir)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  D=../shared/data/embeddings/whurs19-remoteclip-vit-b-32",
      "  remoteclip eval zeroshot --image-embeddings $D/images.npy --labels $D/labels.npy \\",
      "      --class-embeddings $D/texts/a_satellite_photo_of_a.npy --classes $D/classes.txt",
      "  remoteclip eval zeroshot --model ../shared/golden/vit-tiny/model.pt \\",
      "      --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz \\",
      "      --dataset ../shared/data/ucm-captions/labels.csv --templates remote-sensing"
    })
public final class EvalZeroShotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin io.remoteclip.cli.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(names = "--dataset", paramLabel = "PATH",
      description = "End to end: a class-folder root or a filename,label[,split] CSV, encoded with --model.")
  Path dataset;

  @Option(names = "--split", paramLabel = "NAME",
      description = "With --dataset: score only this split (default: every image, as the published zero-shot figures).")
  String split;

  @Option(names = "--split-from", paramLabel = "FILE",
      description = "With --split: take each image's split from a Karpathy JSON or a filename,label,split CSV.")
  Path splitFrom;

  @Option(names = "--templates", defaultValue = "single", paramLabel = "single|remote-sensing|FILE",
      description = "With --dataset: prompt set: single (\"a satellite photo of {}.\"), remote-sensing (24 templates) "
          + "or a file with one template per line (default: ${DEFAULT-VALUE}).")
  String templates;

  @Option(names = "--class-names", paramLabel = "FILE",
      description = "With --dataset: 'folder=readable name' lines overriding the built-in class names.")
  Path classNames;

  @Option(names = "--image-embeddings", paramLabel = "I.npy", description = "Image embeddings [n, D].")
  Path imageEmbeddings;

  @Option(names = "--labels", paramLabel = "L.npy", description = "int64 class index of each image.")
  Path labels;

  @Option(names = "--class-embeddings", paramLabel = "C.npy",
      description = "Class text embeddings [classes, D]; repeat for one file per prompt template.")
  List<Path> classEmbeddings;

  @Option(names = "--ensemble", defaultValue = "normalize-first", paramLabel = "RULE",
      description = "How several template files combine: normalize-first or average-first (default: ${DEFAULT-VALUE}).")
  String ensemble;

  @Option(names = "--classes", paramLabel = "classes.txt", description = "Class names, one per line, in index order (for the report).")
  Path classes;

  @Option(names = "--confusion", description = "Also print the confusion matrix (always present in --json).")
  boolean confusion;

  @Override
  public Integer call() throws Exception {
    Ensemble rule = Ensemble.parse(ensemble);
    if (dataset != null) {
      return endToEnd(rule);
    }
    EvalInputs.rejectModelOptions(spec);
    if (imageEmbeddings == null || labels == null || classEmbeddings == null) {
      throw new IllegalArgumentException("give --dataset (with --model), or --image-embeddings, --labels and "
          + "--class-embeddings");
    }
    float[][] images = EvalInputs.embeddings(imageEmbeddings);
    int[] l = EvalInputs.labels(labels, images.length, imageEmbeddings);
    List<float[][]> perTemplate = new ArrayList<>();
    for (Path p : classEmbeddings) {
      float[][] c = EvalInputs.embeddings(p);
      EvalInputs.sameDimension(imageEmbeddings, images, p, c);
      if (!perTemplate.isEmpty() && perTemplate.get(0).length != c.length) {
        throw new io.remoteclip.DataFormatException(p + ": " + c.length + " classes but " + classEmbeddings.get(0)
            + " has " + perTemplate.get(0).length);
      }
      perTemplate.add(c);
    }
    int k = perTemplate.get(0).length;
    EvalInputs.labelsBelow(labels, l, k, classEmbeddings.get(0).toString());
    List<String> names = EvalInputs.classNames(classes, k);
    float[][] classVectors = perTemplate.size() == 1 ? perTemplate.get(0) : rule.classVectors(perTemplate);
    ClassificationMetrics m = ZeroShot.evaluate(images, l, classVectors);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("protocol", "zeroshot");
      r.put("unit", "percent");
      r.put("classes", k);
      r.put("templates", perTemplate.size());
      r.put("ensemble", perTemplate.size() == 1 ? null : rule.id());
      r.putAll(m.summary());
      r.put("per_class_recall", Tables.perClass(m, names));
      r.put("confusion", m.confusion());
      OutputOptions.printJson(out, r);
    } else {
      out.printf("zero-shot: %d images, %d classes, %d template file(s)%s%n", m.count(), k, perTemplate.size(),
          perTemplate.size() > 1 ? ", ensemble " + rule.id() : "");
      Tables.classification(out, m, names, confusion);
    }
    return 0;
  }

  private Integer endToEnd(Ensemble rule) throws Exception {
    if (imageEmbeddings != null || labels != null || classEmbeddings != null || classes != null) {
      throw new IllegalArgumentException("--dataset encodes images and prompts itself: drop --image-embeddings, "
          + "--labels, --class-embeddings and --classes");
    }
    if (splitFrom != null && split == null) {
      throw new IllegalArgumentException("--split-from needs --split NAME (zero-shot scores every image otherwise)");
    }
    List<String> prompts = templates(templates);
    ClassNames names = classNames == null ? ClassNames.builtIn() : ClassNames.withOverrides(EvalInputs.existing(classNames));
    ClassificationDataset d = Datasets.classification(dataset);
    if (splitFrom != null) {
      d = Datasets.withSplitsFrom(d, splitFrom);
    }
    if (split != null) {
      if (!d.hasSplits()) {
        throw new DataFormatException(dataset + ": no split column; give --split-from FILE for --split " + split);
      }
      d = d.split(split);
      if (d.size() == 0) {
        throw new DataFormatException((splitFrom != null ? splitFrom : dataset) + ": no images in split '" + split + "'");
      }
    }
    List<String> readable = names.readable(d.classes());
    ClassificationMetrics m;
    String modelId;
    try (ModelSession session = ModelSession.open(model, cache, spec)) {
      m = EncoderEvaluations.zeroShot(session.encoder(), d, names, prompts, rule, ConsoleProgress.stderr());
      modelId = session.modelId();
      session.report();
    }
    int k = d.classes().size();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("protocol", "zeroshot");
      r.put("unit", "percent");
      r.put("model", modelId);
      r.put("dataset", dataset.toString());
      r.put("split", split);
      r.put("classes", k);
      r.put("templates", prompts.size());
      r.put("ensemble", prompts.size() == 1 ? null : rule.id());
      r.putAll(m.summary());
      r.put("class_names", readable);
      r.put("per_class_recall", Tables.perClass(m, d.classes()));
      r.put("confusion", m.confusion());
      OutputOptions.printJson(out, r);
    } else {
      out.printf("zero-shot: %s%s, %d images, %d classes, %d template(s)%s%n", dataset, split == null ? "" : " [" + split + "]",
          m.count(), k, prompts.size(), prompts.size() > 1 ? ", ensemble " + rule.id() : "");
      Tables.classification(out, m, d.classes(), confusion);
    }
    return 0;
  }

  /** A built-in prompt set by name, or a template file. */
  static List<String> templates(String value) throws Exception {
    Path file = Path.of(value);
    if (Files.isRegularFile(file)) {
      return PromptTemplates.load(file);
    }
    if (value.contains("/") || value.contains(".")) {
      throw new java.nio.file.NoSuchFileException(value + " (--templates: not a file; built-in sets: single, remote-sensing)");
    }
    return PromptTemplates.builtIn(value);
  }
}

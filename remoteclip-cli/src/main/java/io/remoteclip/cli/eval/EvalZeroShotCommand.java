package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.dataset.ClassNames;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.dataset.Datasets;
import io.remoteclip.eval.Ensemble;
import io.remoteclip.eval.ZeroShot;
import io.remoteclip.eval.protocol.EmbeddingFiles;
import io.remoteclip.eval.protocol.EvalResult;
import io.remoteclip.eval.protocol.TransductiveZeroShotRequest;
import io.remoteclip.eval.protocol.TransductiveZeroShotResult;
import io.remoteclip.eval.transductive.TransClipInputException;
import io.remoteclip.eval.protocol.Evaluator;
import io.remoteclip.eval.protocol.ZeroShotRequest;
import io.remoteclip.eval.protocol.ZeroShotResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
      "(--class-names FILE overrides), prompts from --templates; embeddings go through the cache (--cache-dir).",
      "--transductive classifies all the images jointly (TransCLIP) and reports plain zero-shot as *_inductive."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  D=../shared/data/embeddings/whurs19-remoteclip-vit-b-32",
      "  remoteclip eval zeroshot --image-embeddings $D/images.npy --labels $D/labels.npy \\",
      "      --class-embeddings $D/texts/a_satellite_photo_of_a.npy --classes $D/classes.txt",
      "  remoteclip eval zeroshot --transductive --image-embeddings $D/images.npy --labels $D/labels.npy \\",
      "      --class-embeddings $D/texts/a_satellite_photo_of_a.npy --json",
      "  remoteclip eval zeroshot --model ../shared/golden/vit-tiny/model.pt \\",
      "      --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz \\",
      "      --dataset ../shared/data/ucm-captions/labels.csv --templates remote-sensing"
    })
public final class EvalZeroShotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin io.remoteclip.cli.common.ModelOptions model;
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

  @Option(names = "--transductive", description = "Classify all the images jointly (TransCLIP, RS-TransCLIP's "
      + "zero-shot settings): protocol zeroshot-transductive; top1 is then transductive and top1_inductive plain "
      + "zero-shot.")
  boolean transductive;

  @Option(names = "--text-scale", paramLabel = "S", converter = io.remoteclip.cli.common.Ranges.PositiveDouble.class,
      description = "With --transductive on embeddings files: the factor of the cosines in the solver's text prior, "
          + "the model's exp(logit_scale) (default 100, CLIP's; a SigLIP's own, as `info` prints it). End to end "
          + "the model's own is used." + io.remoteclip.cli.common.Ranges.PositiveDouble.HELP)
  Double textScale;

  @Override
  public Integer call() throws Exception {
    Ensemble rule = EvalInputs.ensemble(spec, ensemble);
    if (dataset != null) {
      return endToEnd(rule);
    }
    EvalInputs.rejectModelOptions(spec);
    if (imageEmbeddings == null || labels == null || classEmbeddings == null) {
      throw EvalInputs.usage(spec, "give --dataset (with --model), or --image-embeddings, --labels and "
          + "--class-embeddings");
    }
    if (textScale != null && !transductive) {
      throw EvalInputs.usage(spec, "--text-scale is for --transductive (plain zero-shot takes the most similar class)");
    }
    ZeroShotRequest request = EmbeddingFiles.zeroShot(imageEmbeddings, labels, classEmbeddings, classes, rule);
    EvalResult result;
    try {
      result = Evaluator.onEmbeddings().run(!transductive ? request
          : textScale == null ? TransductiveZeroShotRequest.of(request) : TransductiveZeroShotRequest.of(request, textScale));
    } catch (TransClipInputException e) {
      throw TransductiveOutput.onFile(e, imageEmbeddings, classEmbeddings.get(0));
    }
    if (transductive && textScale == null) {
      TransductiveOutput.warnClipScale(spec.commandLine().getErr(), imageEmbeddings);
    }
    ZeroShotResult m = zeroShotPart(result);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, result, OutputOptions.context());
    } else {
      out.printf("%szero-shot: %d images, %d classes, %d template file(s)%s%n", transductive ? "transductive " : "",
          m.metrics().count(), m.classNames().size(), m.templates(),
          m.ensemble() != null ? ", ensemble " + m.ensemble().id() : "");
      printTable(out, result, m);
    }
    return 0;
  }

  private Integer endToEnd(Ensemble rule) throws Exception {
    if (imageEmbeddings != null || labels != null || classEmbeddings != null || classes != null) {
      throw EvalInputs.usage(spec, "--dataset encodes images and prompts itself: drop --image-embeddings, "
          + "--labels, --class-embeddings and --classes");
    }
    if (textScale != null) {
      throw EvalInputs.usage(spec, "--text-scale is for embeddings files: with --dataset the model's own scale is used");
    }
    if (splitFrom != null && split == null) {
      throw EvalInputs.usage(spec, "--split-from needs --split NAME (zero-shot scores every image otherwise)");
    }
    List<String> prompts = EvalInputs.templates(spec, templates);
    ClassNames names = classNames == null ? ClassNames.builtIn()
        : ClassNames.withOverrides(EmbeddingFiles.existing(classNames));
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
    ZeroShot.requireClasses(d.classes(), dataset);
    ZeroShotRequest request = ZeroShotRequest.of(d, names, prompts, rule);
    ModelSession.Ran ran;
    try {
      ran = ModelSession.run(transductive ? TransductiveZeroShotRequest.of(request) : request, model, cache, spec);
    } catch (TransClipInputException e) {
      throw TransductiveOutput.onFile(e, dataset, dataset);
    }
    ZeroShotResult m = zeroShotPart(ran.result());
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, ran.result(),
          OutputOptions.context("model", ran.modelId(), "dataset", dataset, "split", split));
    } else {
      out.printf("%szero-shot: %s%s, %d images, %d classes, %d template(s)%s%n", transductive ? "transductive " : "",
          dataset, split == null ? "" : " [" + split + "]", m.metrics().count(), m.classNames().size(), m.templates(),
          m.ensemble() != null ? ", ensemble " + m.ensemble().id() : "");
      printTable(out, ran.result(), m);
    }
    return 0;
  }

  /** The zero-shot figures of a plain or a transductive result (for the transductive one, the solver's). */
  private static ZeroShotResult zeroShotPart(EvalResult r) {
    return r instanceof TransductiveZeroShotResult t ? t.transductive() : (ZeroShotResult) r;
  }

  private void printTable(PrintWriter out, EvalResult r, ZeroShotResult m) {
    if (r instanceof TransductiveZeroShotResult t) {
      TransductiveOutput.printInductive(out, t.inductive());
    }
    Tables.classification(out, m.metrics(), m.classNames(), confusion);
  }
}

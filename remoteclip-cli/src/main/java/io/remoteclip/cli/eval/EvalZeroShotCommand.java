package io.remoteclip.cli.eval;

import io.remoteclip.eval.ClassificationMetrics;
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
      "Metrics in percent: top-1, top-5 (5+ classes), mean per-class recall; also per-class recall and confusion."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  D=../shared/data/embeddings/whurs19-remoteclip-vit-b-32",
      "  remoteclip eval zeroshot --image-embeddings $D/images.npy --labels $D/labels.npy \\",
      "      --class-embeddings $D/texts/a_satellite_photo_of_a.npy --classes $D/classes.txt"
    })
public final class EvalZeroShotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(names = "--image-embeddings", required = true, paramLabel = "I.npy", description = "Image embeddings [n, D].")
  Path imageEmbeddings;

  @Option(names = "--labels", required = true, paramLabel = "L.npy", description = "int64 class index of each image.")
  Path labels;

  @Option(names = "--class-embeddings", required = true, paramLabel = "C.npy",
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
}

package io.remoteclip.cli.common;

import io.remoteclip.DataFormatException;
import io.remoteclip.eval.ClassLabels;
import io.remoteclip.fs.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The labels, prompt templates and top-k of every zero-shot command ({@code classify}, Spark's classify). */
public final class ZeroShotOptions {
  public static final String DEFAULT_TEMPLATE = "a satellite photo of {}.";

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "Comma-separated class names.")
  List<String> labels;

  @Option(names = "--labels-file", paramLabel = "FILE", description = "Class names, one per line.")
  Path labelsFile;

  @Option(names = "--template", paramLabel = "TEXT",
      description = "Prompt template with {} for the label; repeat for an ensemble (default: \"" + DEFAULT_TEMPLATE + "\").")
  List<String> templates;

  @Option(converter = Ranges.Positive.class, names = "--top-k", defaultValue = "3",
      description = "Labels per image (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int topK;

  /** The class names of --labels and --labels-file (trimmed, blanks dropped), at least two, all distinct. */
  public List<String> classes() throws IOException, DataFormatException {
    List<String> out = new ArrayList<>();
    if (labels != null) {
      labels.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    }
    String given = ClassLabels.firstDuplicate(out);
    Usage.require(mixee, given == null, ClassLabels.duplicateMessage("--labels", given));
    if (labelsFile != null) {
      List<String> fromFile = InputFiles.readLines(labelsFile).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
      ClassLabels.requireDistinct(fromFile, labelsFile);
      for (String l : fromFile) {
        Usage.require(mixee, !out.contains(l), ClassLabels.duplicateMessage("--labels and " + labelsFile, l));
      }
      out.addAll(fromFile);
    }
    Usage.require(mixee, out.size() >= 2, "give at least two labels with --labels a,b,... or --labels-file FILE");
    return out;
  }

  /** The templates (the default one when none is given), each with its {@code {}}. */
  public List<String> prompts() {
    List<String> prompts = templates == null || templates.isEmpty() ? List.of(DEFAULT_TEMPLATE) : templates;
    for (String t : prompts) {
      Usage.require(mixee, t.contains("{}"), "--template \"" + t + "\" has no {} for the label");
    }
    return prompts;
  }

  /** {@code --top-k} (positive: checked while parsing). */
  public int topK() {
    return topK;
  }
}

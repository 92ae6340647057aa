package io.remoteclip.spark;

import io.remoteclip.cli.common.ZeroShotOptions;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.ZeroShotClassifier;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code remoteclip-spark classify}: zero-shot top-k labels as Parquet. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = {
      "Zero-shot classifies an embeddings table (--embeddings, nothing is re-encoded) or images, as 'remoteclip classify' "
          + "does: each label goes into the template(s), text embeddings are averaged per label (normalise, average, "
          + "renormalise), each image gets the softmax of exp(logit_scale) x cosine over the labels (CLIP models), or per label "
          + "the sigmoid of exp(logit_scale) x cosine + logit_bias (SigLIP models).",
      "Output: Parquet with id, path, model_id, labels (top-k, best first) and scores (their probabilities)."
    },
    footer = {"%nExamples:",
      "  remoteclip-spark classify --embeddings ucm.parquet --labels-file ../shared/data/ucm-captions/classes.txt --out ucm-labels.parquet",
      "  remoteclip-spark classify ../shared/data/ucm-captions/images --labels airport,beach,forest --top-k 1 --out top1.parquet"})
final class SparkClassifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;
  @Mixin SparkOptions sparkOptions;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PATH|GLOB", description = "Images (instead of --embeddings).")
  String input;

  @Option(names = "--embeddings", paramLabel = "TABLE",
      description = "An embeddings table from 'remoteclip-spark embed'; its model is used unless --model is given.")
  String embeddings;

  @Mixin ZeroShotOptions zeroShot;

  @Option(names = "--out", required = true, paramLabel = "TABLE", description = "Output table (Parquet directory).")
  String out;

  @Option(names = "--errors", paramLabel = "TABLE", description = "Unreadable images, when classifying images (default: TABLE.errors).")
  String errors;

  @Option(names = "--overwrite", description = "Replace an existing --out table.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if ((input == null) == (embeddings == null)) {
      throw Usage.error(spec, "give images (PATH|GLOB) or --embeddings TABLE, not both or neither");
    }
    List<String> classes = zeroShot.classes();
    List<String> prompts = zeroShot.prompts();
    int topK = zeroShot.topK();
    SparkSession spark = sparkOptions.session();
    if (embeddings != null) {
      Row m = ClassifyJob.tableModel(spark, embeddings);
      if (m.getString(0) != null && !modelOptions.choice().explicit()) {
        modelOptions.choice().use(m.getString(0), null);
      }
    }
    ModelShipment model = sparkOptions.ship(spark, modelOptions);
    ClipEncoder encoder = ExecutorEncoders.get(model);
    ZeroShotClassifier classifier = ZeroShotClassifier.build(encoder, classes, prompts, encoder.towers());
    ClassifyJob.Summary s = ClassifyJob.run(spark, new ClassifyJob.Request(embeddings,
        input == null ? null : source(spec, input, null, null, null), out, SparkEmbedCommand.errorsTable(out, errors),
        overwrite, classes, topK, model), classifier);
    spec.commandLine().getOut().println(out + ": " + s);
    spec.commandLine().getOut().flush();
    return s.classified() == 0 && s.errors() > 0 ? io.remoteclip.cli.ErrorReporter.DATA_ERR : 0;
  }


  /** The image source of a command line: PATH|GLOB, or --from-table with its path column. */
  static ImageSource source(CommandSpec spec, String input, String fromTable, String pathColumn, String tableFormat) {
    if ((input == null) == (fromTable == null)) {
      throw Usage.error(spec, "give images as PATH|GLOB or --from-table TABLE, not both or neither");
    }
    if (input != null) {
      return new ImageSource.Files(input);
    }
    String format = tableFormat != null ? tableFormat
        : fromTable.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
    if (!format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("parquet")) {
      throw Usage.error(spec, "--table-format " + format + " (expected parquet or csv)");
    }
    return new ImageSource.Listed(fromTable, format, pathColumn);
  }
}

package io.remoteclip.spark;

import io.remoteclip.cli.common.ZeroShotOptions;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.remote.RasterLocation;
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
      "Output: Parquet with id, path, model_id, labels (top-k, best first) and scores (their probabilities).",
      "Images may also be http(s):// or s3:// URIs, one or listed in a text file (--uris FILE), or the assets of a "
          + "STAC ItemCollection (--stac ITEMS --asset KEY); each task fetches its own. Unreadable ones (404, 403, "
          + "unreachable, truncated) go to the errors table."
    },
    footer = {"%nExamples:",
      "  remoteclip-spark classify --embeddings ucm.parquet --labels-file ../shared/data/ucm-captions/classes.txt --out ucm-labels.parquet",
      "  remoteclip-spark classify ../shared/data/ucm-captions/images --labels airport,beach,forest --top-k 1 --out top1.parquet",
      "  remoteclip-spark classify --uris images.txt --labels-file classes.txt --out remote-labels.parquet"})
final class SparkClassifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;
  @Mixin SparkOptions sparkOptions;

  /** What --uris says, for both jobs. */
  static final String URIS_HELP = "Instead of PATH: a text file (any Hadoop file system) naming the images one per "
      + "line: http(s):// or s3:// URIs, or paths; blank lines and lines starting with # are left out.";

  @Parameters(index = "0", arity = "0..1", paramLabel = "PATH|GLOB|URI",
      description = "Images (instead of --embeddings): a file, directory or glob on any Hadoop file system, or one "
          + "image's http(s):// or s3:// URI.")
  String input;

  @Option(names = "--uris", paramLabel = "FILE", description = URIS_HELP)
  String uris;

  /** --stac ITEMS --asset KEY: the images of a STAC ItemCollection. */
  @Mixin io.remoteclip.cli.common.StacInputOptions stac;

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
    boolean images = input != null || uris != null || stac.given();
    if (images == (embeddings != null)) {
      throw Usage.error(spec, "give images (PATH|GLOB|URI, --uris FILE or --stac ITEMS --asset KEY) or --embeddings TABLE, "
          + "not both or neither");
    }
    ImageSource source = images ? source(spec, input, uris, stac, null, null, null) : null;
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
        source, out, SparkEmbedCommand.errorsTable(out, errors),
        overwrite, classes, topK, model), classifier);
    spec.commandLine().getOut().println(out + ": " + s);
    spec.commandLine().getOut().flush();
    return s.classified() == 0 && s.errors() > 0 ? io.remoteclip.cli.ErrorReporter.DATA_ERR : 0;
  }


  /**
   * The image source of a command line: exactly one of PATH|GLOB|URI, --uris FILE, --stac ITEMS --asset KEY and
   * --from-table TABLE (with its path column and format).
   */
  static ImageSource source(CommandSpec spec, String input, String uris, io.remoteclip.cli.common.StacInputOptions stac,
      String fromTable, String pathColumn, String tableFormat) throws Exception {
    stac.check();
    long given = java.util.stream.Stream.of(input, uris, fromTable, stac.items()).filter(java.util.Objects::nonNull).count();
    if (given != 1) {
      throw Usage.error(spec, "give images as PATH|GLOB|URI, --uris FILE, " + (spec.findOption("--from-table") != null
          ? "--from-table TABLE " : "") + "or --stac ITEMS --asset KEY (one of them)");
    }
    if (stac.given()) {
      List<SceneHeaders.Input> assets = new java.util.ArrayList<>();
      for (var e : stac.scenes().entrySet()) {
        // a local asset goes through Hadoop's file: system like any local image; remote ones by their URI
        String location = e.getKey() instanceof RasterLocation.Local l ? l.uri().toString() : e.getKey().name();
        assets.add(new SceneHeaders.Input(location, SceneItem.of(e.getValue())));
      }
      return new ImageSource.Scenes(stac.items(), assets);
    }
    if (input != null && RasterLocation.isRemote(input)) {
      try {
        RasterLocation.parse(input);
      } catch (IllegalArgumentException e) {
        throw Usage.error(spec, e.getMessage());
      }
      return new ImageSource.Scenes(input, List.of(new SceneHeaders.Input(input, null)));
    }
    if (input != null) {
      return new ImageSource.Files(input);
    }
    if (uris != null) {
      return ImageSource.Listed.lines(uris);
    }
    String format = tableFormat != null ? tableFormat
        : fromTable.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
    if (!format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("parquet")) {
      throw Usage.error(spec, "--table-format " + format + " (expected parquet or csv)");
    }
    return new ImageSource.Listed(fromTable, format, pathColumn);
  }
}

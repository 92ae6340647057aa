package io.remoteclip.spark;

import io.remoteclip.RemoteClipException;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Ranges;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where the job runs and how the model reaches the executors. */
final class SparkOptions {
  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec mixee;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: the one spark-submit sets, else local[*]: this machine, one task per core).")
  String master;

  @Option(names = "--ship", defaultValue = "auto", paramLabel = "auto|files|shared",
      description = "How executors get the model files: 'files' ships them with the job (SparkContext.addFile, fetched "
          + "once per executor), 'shared' uses the driver's paths (local mode, or a path every node mounts); "
          + "auto: shared in local mode, else files (default: ${DEFAULT-VALUE}).")
  String ship;

  @Option(converter = Ranges.Threads.class, names = "--decode-threads", defaultValue = "0", paramLabel = "N",
      description = "Image decoding threads per executor JVM, shared by its tasks (0 = its cores)."
          + Ranges.Threads.HELP)
  int decodeThreads;

  /**
   * Spark 4 isolates a session's artifacts: its SQL stages hand executors only the files added to that
   * session, not those of {@code SparkContext.addFile} ({@code --ship files}), so an executor whose first task
   * is a SQL stage never fetches the model (seen on a standalone cluster; local mode reads the driver's copy).
   */
  private static final String ISOLATION = "spark.sql.artifact.isolation.enabled";

  /** The session spark-submit configured, or a local one. */
  SparkSession session() {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("remoteclip-spark");
    if (master != null) {
      b.master(master);
    } else if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    if (!conf.contains("spark.ui.enabled")) {
      b.config("spark.ui.enabled", "false");
    }
    if (!conf.contains(ISOLATION)) {
      b.config(ISOLATION, "false");
    }
    return b.getOrCreate();
  }

  /**
   * Resolves the model on the driver (registry names are downloaded here, once) and ships it. Intra-op threads:
   * {@code --threads}, else {@code spark.task.cpus}, so tasks x threads never exceeds the executor's cores.
   */
  ModelShipment ship(SparkSession spark, ModelOptions model) throws IOException, RemoteClipException {
    ModelShipment.Delivery delivery = switch (ship.toLowerCase(Locale.ROOT)) {
      case "auto" -> spark.sparkContext().isLocal() ? ModelShipment.Delivery.SHARED : ModelShipment.Delivery.FILES;
      case "files" -> ModelShipment.Delivery.FILES;
      case "shared" -> ModelShipment.Delivery.SHARED;
      default -> throw io.remoteclip.cli.common.Usage.error(mixee, "--ship " + ship + " (expected auto, files or shared)");
    };
    if (model.onnxRuntime() && io.remoteclip.onnx.OnnxExport.isExport(java.nio.file.Path.of(model.model()))) {
      throw io.remoteclip.cli.common.Usage.error(mixee, "--model " + model.model() + " is an ONNX export; remoteclip-spark "
          + "takes the model itself (a name or checkpoint) with --engine onnxruntime, and exports and ships it");
    }
    // ONNX Runtime: the export is written (or found) on the driver once, and its files are what the executors get
    ModelShipment.OnnxRoute onnx = model.onnxRuntime()
        ? new ModelShipment.OnnxRoute(model.onnxExport().toAbsolutePath().toString(), model.engineOptions().device().toString())
        : null;
    int threads = model.threads() > 0 ? model.threads() : spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
    java.nio.file.Path vocab = model.choice().vocab();
    return ModelShipment.ship(spark, model.resolve(), model.encoderOptions(),
        io.remoteclip.search.IndexedModel.reference(model.model()),
        vocab == null ? null : vocab.toAbsolutePath().normalize().toString(), model.bandsSpec(), delivery, threads,
        decodeThreads, onnx);
  }
}

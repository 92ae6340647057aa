package io.remoteclip.spark;

import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.BandSelection;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.Precision;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * Everything an executor needs to load the driver's model, as plain values: this is what travels with a task,
 * never the model. The files go either through {@code SparkContext.addFile} (fetched once per executor into
 * its {@link SparkFiles} directory) or, with {@link Delivery#SHARED}, by path (local mode, or a path every node
 * mounts).
 *
 * @param decodeThreads decoding threads per executor JVM; 0 for the executor's cores
 * @param modelId the identity of the encoder the driver loaded (null only while planning); every executor
 *     checks it loads the same
 */
record ModelShipment(String modelId, String modelRef, String vocabRef, Delivery delivery, String weights, String vocab,
    String config, String name, String resolvedId, String architecture, String activation, double[] mean, double[] std,
    Integer imageSize, String promptSet, boolean bundled, String bands, int batchSize, String precision,
    int intraOpThreads, int decodeThreads, OnnxRoute onnx) implements Serializable {

  /**
   * The ONNX Runtime engine instead of DJL: the driver's export directory (its files are what ships) and the
   * device the executors run it on.
   */
  record OnnxRoute(String exportDir, String device) implements Serializable {}

  enum Delivery {
    /** addFile on the driver, SparkFiles.get on executors. */
    FILES,
    /** The driver's paths, readable as they are on every executor. */
    SHARED
  }

  /**
   * Resolves what the executors need from the driver's model and, for {@link Delivery#FILES}, registers the
   * files with Spark. The config is fixed here (an executor would not find one next to shipped weights). The
   * driver loads the model once (through {@link ExecutorEncoders}, so local mode shares it with its tasks) to
   * learn the encoder identity that the table records and every executor must reproduce. With {@code onnx},
   * executors run that export on ONNX Runtime and only its files are shipped; null for DJL.
   */
  static ModelShipment ship(SparkSession spark, ResolvedModel model, ClipEncoder.Options options, String modelRef,
      String vocabRef, String bandsSpec, Delivery delivery, int intraOpThreads, int decodeThreads, OnnxRoute onnx)
      throws IOException, io.remoteclip.RemoteClipException {
    Path config = model.configFile(options.configOverride());
    Activation chosen = ClipConfigs.chooseActivation(options.activation(), ClipConfigs.readModelConfig(config),
        model.activation());
    List<Path> files = new ArrayList<>();
    if (onnx != null) {
      try (var listing = Files.list(Path.of(onnx.exportDir()))) {
        listing.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
    } else {
      files.addAll(List.of(model.weights(), model.vocab()));
      if (config != null) {
        files.add(config);
      }
      // shards of a sharded index, tokenizer and preprocessor files of a transformers folder
      Set<Path> listed = new HashSet<>();
      files.forEach(f -> listed.add(f.toAbsolutePath().normalize()));
      for (Path f : io.remoteclip.layout.TransformersFolder.filesBeside(model.weights())) {
        if (listed.add(f.toAbsolutePath().normalize())) {
          files.add(f);
        }
      }
    }
    if (delivery == Delivery.FILES) {
      Set<String> names = new HashSet<>();
      for (Path f : files) {
        if (!names.add(f.getFileName().toString())) {
          throw new io.remoteclip.DataFormatException("cannot ship " + files + " with --ship files: two files are named "
              + f.getFileName() + " (Spark keys shipped files by name); use --ship shared");
        }
        if (!Files.isRegularFile(f)) {
          throw new java.nio.file.NoSuchFileException(f.toString());
        }
        spark.sparkContext().addFile(f.toUri().toString());
      }
    }
    ModelShipment planned = new ModelShipment(null, modelRef, vocabRef, delivery, model.weights().toString(), model.vocab().toString(),
        config == null ? null : config.toString(), model.name(), model.modelId(), model.architecture(),
        chosen == null ? null : chosen.cliName(), doubles(model.mean()), doubles(model.std()), model.imageSize(),
        model.promptSet(), model.bundled(), bandsSpec,
        options.batchSize(), options.precision().cliName(), intraOpThreads, decodeThreads, onnx);
    return planned.withModelId(ExecutorEncoders.get(planned).modelId());
  }

  ModelShipment withModelId(String id) {
    return new ModelShipment(id, modelRef, vocabRef, delivery, weights, vocab, config, name, resolvedId, architecture,
        activation, mean, std, imageSize, promptSet, bundled, bands, batchSize, precision, intraOpThreads, decodeThreads,
        onnx);
  }

  /** What makes two shipments load the same encoder (the driver's paths name the files). */
  String loadKey() {
    return String.join("|", delivery.name(), weights, vocab, String.valueOf(config), String.valueOf(activation), String.valueOf(bands),
        String.valueOf(batchSize), precision, resolvedId, onnx == null ? "djl" : onnx.exportDir() + "@" + onnx.device());
  }

  /** The export directory as this JVM sees it (shipped files all land in the SparkFiles directory). */
  Path localOnnxExport() {
    return delivery == Delivery.SHARED ? Path.of(onnx.exportDir())
        : Path.of(SparkFiles.get(io.remoteclip.onnx.OnnxSidecar.FILE_NAME)).getParent();
  }

  /** The model as this JVM sees it (paths into the SparkFiles directory for shipped files). */
  ResolvedModel localModel() {
    return new ResolvedModel(name, resolvedId, local(weights), local(vocab), config == null ? null : local(config),
        architecture, activation == null ? null : Activation.parse(activation), list(mean), list(std), imageSize,
        promptSet, bundled);
  }

  /** The encoder's own decoding pool stays idle (the encode stage decodes on its own pool): one thread. */
  ClipEncoder.Options localOptions() {
    return ClipEncoder.Options.defaults().withBatchSize(batchSize).withDecodeThreads(1)
        .withActivation(activation == null ? null : Activation.parse(activation))
        .withBands(bands == null ? null : BandSelection.parse(bands)).withPrecision(Precision.parse(precision));
  }

  BandSelection bandSelection() {
    return bands == null ? null : BandSelection.parse(bands);
  }

  private Path local(String driverPath) {
    return delivery == Delivery.SHARED ? Path.of(driverPath) : Path.of(SparkFiles.get(Path.of(driverPath).getFileName().toString()));
  }

  private static double[] doubles(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static List<Double> list(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double d : v) {
      out.add(d);
    }
    return out;
  }
}

package io.remoteclip.cli.common;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.BandSelection;
import io.remoteclip.model.Precision;
import io.remoteclip.perf.CpuFeatures;
import java.nio.file.Path;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.onnx.OnnxDevice;
import io.remoteclip.onnx.OnnxEngine;
import io.remoteclip.onnx.OnnxExport;
import io.remoteclip.onnx.Quantization;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of every command that encodes: which model ({@link ModelChoice}) and how to run it (bands,
 * batch size, threads, precision).
 */
public final class ModelOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Mixin ModelChoice choice;

  @Option(names = "--bands", paramLabel = "R,G,B:MIN:MAX",
      description = "For multi-band or 16-bit rasters: three 0-based bands and the value range mapped to 0..255, e.g. 3,2,1:0:3000.")
  String bands;

  @Option(converter = Ranges.Positive.class, names = "--batch-size", defaultValue = "32",
      description = "Images or texts per forward pass (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int batchSize;

  @Option(converter = Ranges.Threads.class, names = "--threads", defaultValue = "0",
      description = "Compute threads (0 = all cores)." + Ranges.Threads.HELP)
  int threads;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "Number format of the model: fp32 (default). bf16 is refused for now: the engine binding "
          + "(DJL 0.36) cannot create bfloat16 tensors.")
  String precision;

  @Option(names = "--engine", defaultValue = "djl", paramLabel = "djl|onnxruntime",
      description = "Inference engine: djl (PyTorch through DJL, default) or onnxruntime (the model exported to ONNX once, "
          + "cached, then run by ONNX Runtime; --model may also be an export directory).")
  String engine;

  @Option(names = "--quantize", paramLabel = "int8",
      description = "With --engine onnxruntime: int8 weights for every Linear and the ViT patch convolution "
          + "(dynamic int8 activations; faster on CPU, features within cosine ~0.99 of fp32). Default: none (fp32).")
  String quantize;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda[:N]",
      description = "With --engine onnxruntime: cpu (default) or cuda[:N] (needs the onnxruntime_gpu build, see README).")
  String device;

  /** True for ONNX Runtime: asked for, or --model is an export directory. */
  public boolean onnxRuntime() throws RemoteClipException, IOException {
    String model = choice.name();
    boolean export = model != null && OnnxExport.isExport(Path.of(model));
    return switch (engine.toLowerCase(java.util.Locale.ROOT)) {
      case "onnxruntime", "ort", "onnx" -> true;
      case "djl", "pytorch" -> {
        if (quantize != null || !device.equalsIgnoreCase("cpu")) {
          throw Usage.error(mixee, "--quantize and --device need --engine onnxruntime (the DJL engine runs fp32 on "
              + "the CPU; for CUDA with DJL see the README)");
        }
        yield export;
      }
      default -> throw Usage.error(mixee, "--engine " + engine + " (expected djl or onnxruntime)");
    };
  }

  public OnnxEngine.Options engineOptions() {
    return new OnnxEngine.Options(threads, Usage.parse(mixee, "--device", device, OnnxDevice::parse),
        quantize == null ? Quantization.FP32 : Usage.parse(mixee, "--quantize", quantize, Quantization::parse));
  }

  /** As {@link #open()} on ONNX Runtime with weights in {@code q} (the fp32 reference of an int8 measurement). */
  public ClipEncoder openOnnx(Quantization q) throws IOException, RemoteClipException {
    String asked = quantize;
    String askedEngine = engine;
    quantize = q == Quantization.FP32 ? null : q.cliName();
    engine = "onnxruntime";
    try {
      return open();
    } finally {
      quantize = asked;
      engine = askedEngine;
    }
  }

  /** Name of the engine for reports: djl-pytorch or onnxruntime. */
  public String engineName() throws RemoteClipException, IOException {
    return onnxRuntime() ? "onnxruntime" : "djl-pytorch";
  }

  /** Which model, vocabulary, config and activation. */
  public ModelChoice choice() {
    return choice;
  }

  /** The model name or path to load (see {@link ModelChoice#name()}). */
  public String model() throws RemoteClipException, IOException {
    return choice.name();
  }

  /** Uses {@code bands} (R,G,B:MIN:MAX) as if given with {@code --bands}, e.g. the selection an index recorded. */
  public void useBands(String bands) {
    this.bands = bands;
  }

  /** {@code --bands} parsed, or null for none. */
  public BandSelection bands() {
    return bands == null ? null : Usage.parse(mixee, "--bands", bands, BandSelection::parse);
  }

  /** {@code --batch-size} (positive: checked while parsing). */
  public int batchSize() {
    return batchSize;
  }

  /** {@code --threads} (0: all cores). */
  public int threads() {
    return threads;
  }

  /** {@code --precision}, refused with the reason when this build cannot run it. */
  public Precision precision() {
    Precision p = Usage.parse(mixee, "--precision", precision, Precision::parse);
    if (p.unavailableReason() != null) {
      String cpu = CpuFeatures.hasNativeBf16() ? "this CPU has native bf16 (avx512_bf16/amx_bf16), but "
          : "this CPU has no native bf16 (avx512_bf16/amx_bf16), and ";
      throw Usage.error(mixee, "--precision " + precision + ": " + cpu + p.unavailableReason() + "; use --precision fp32");
    }
    return p;
  }

  /** Resolves the model with its vocabulary. */
  public ResolvedModel resolve() throws IOException, RemoteClipException {
    return choice.resolve();
  }

  /** Loads the encoder with these options. */
  public ClipEncoder open() throws IOException, RemoteClipException {
    EngineThreads.configure(threads);
    ClipEncoder.Options options = encoderOptions();
    if (onnxRuntime()) {
      if (precision() != Precision.FP32) {
        throw Usage.error(mixee, "--precision " + precision + " is a DJL option; with --engine onnxruntime use --quantize int8");
      }
      return OnnxEngine.openExport(onnxExport(), options, engineOptions());
    }
    return ClipEncoder.open(resolve(), options, ProgressListener.NONE);
  }

  /**
   * The ONNX export these flags run on ONNX Runtime: {@code --model} itself when it is an export directory,
   * else the model's cached export (written now on first use).
   */
  public Path onnxExport() throws IOException, RemoteClipException {
    Path dir = Path.of(choice.name());
    if (OnnxExport.isExport(dir)) {
      Quantization stored = io.remoteclip.onnx.OnnxSidecar.read(dir).quantization();
      if (quantize != null && Usage.parse(mixee, "--quantize", quantize, Quantization::parse) != stored) {
        throw Usage.error(mixee, "--quantize " + quantize + ": " + dir + " is an export with " + stored.cliName()
            + " weights; export again to change them");
      }
      return dir;
    }
    ModelResolver resolver = ModelResolver.fromEnvironment();
    ResolvedModel resolved = resolver.resolve(choice.name(), choice.vocab(), ConsoleProgress.stderr());
    return OnnxEngine.cachedExport(resolved, encoderOptions(), engineOptions().quantization(), resolver.settings().cacheDir(),
        ConsoleProgress.stderr());
  }

  /** The DJL encoder options these flags give (for callers that load the model elsewhere, e.g. Spark executors). */
  public ClipEncoder.Options encoderOptions() {
    return ClipEncoder.Options.defaults().withBatchSize(batchSize()).withConfig(choice.config())
        .withActivation(choice.activation())
        .withBands(bands())
        .withPrecision(precision());
  }

  /** {@code --bands} as given (R,G,B:MIN:MAX), or null. */
  public String bandsSpec() {
    return bands;
  }
}

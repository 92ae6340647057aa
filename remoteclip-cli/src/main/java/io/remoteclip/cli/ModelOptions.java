package io.remoteclip.cli;

import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.BandSelection;
import io.remoteclip.model.Activation;
import io.remoteclip.model.Precision;
import io.remoteclip.onnx.OnnxDevice;
import io.remoteclip.onnx.OnnxEngine;
import io.remoteclip.onnx.OnnxExport;
import io.remoteclip.onnx.Quantization;
import io.remoteclip.perf.CpuFeatures;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares: which weights, vocabulary, config and activation. */
public final class ModelOptions {
  @Option(names = "--model", defaultValue = "remoteclip-mini", paramLabel = "NAME|PATH",
      description = "Model name (see 'remoteclip models'; downloaded once), or a checkpoint file (.pt, .safetensors) or directory (default: ${DEFAULT-VALUE}, built in).")
  String model;

  @Option(names = "--vocab", paramLabel = "FILE",
      description = "BPE vocabulary (bpe_simple_vocab_16e6.txt.gz format). Default: the model's own, or the cached CLIP vocabulary.")
  Path vocab;

  @Option(names = "--config", paramLabel = "JSON",
      description = "open_clip model config (head counts, quick_gelu); default: open_clip_config.json or config.json next to the weights.")
  Path config;

  @Option(names = "--activation", paramLabel = "quickgelu|gelu",
      description = "MLP activation; default: from the config or registry, else quickgelu (OpenAI-initialised models).")
  String activation;

  @Option(names = "--bands", paramLabel = "R,G,B:MIN:MAX",
      description = "For multi-band or 16-bit rasters: three 0-based bands and the value range mapped to 0..255, e.g. 3,2,1:0:3000.")
  String bands;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images or texts per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0", description = "Compute threads (0 = all cores).")
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
  boolean onnxRuntime() {
    boolean export = model != null && OnnxExport.isExport(Path.of(model));
    return switch (engine.toLowerCase(java.util.Locale.ROOT)) {
      case "onnxruntime", "ort", "onnx" -> true;
      case "djl", "pytorch" -> {
        if (quantize != null || !device.equalsIgnoreCase("cpu")) {
          throw new IllegalArgumentException("--quantize and --device need --engine onnxruntime (the DJL engine runs fp32 on "
              + "the CPU; for CUDA with DJL see the README)");
        }
        yield export;
      }
      default -> throw new IllegalArgumentException("--engine " + engine + " (expected djl or onnxruntime)");
    };
  }

  OnnxEngine.Options engineOptions() {
    return new OnnxEngine.Options(threads, OnnxDevice.parse(device),
        quantize == null ? Quantization.FP32 : Quantization.parse(quantize));
  }

  /** As {@link #open()} on ONNX Runtime with weights in {@code q} (the fp32 reference of an int8 measurement). */
  ClipEncoder openOnnx(Quantization q) throws IOException, RemoteClipException {
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
  String engineName() {
    return onnxRuntime() ? "onnxruntime" : "djl-pytorch";
  }

  Precision precision() {
    Precision p = Precision.parse(precision);
    if (p.unavailableReason() != null) {
      String cpu = CpuFeatures.hasNativeBf16() ? "this CPU has native bf16 (avx512_bf16/amx_bf16), but "
          : "this CPU has no native bf16 (avx512_bf16/amx_bf16), and ";
      throw new IllegalArgumentException("--precision " + precision + ": " + cpu + p.unavailableReason());
    }
    return p;
  }

  public ResolvedModel resolve() throws IOException, RemoteClipException {
    return ModelResolver.fromEnvironment().resolve(model, vocab, ConsoleProgress.stderr());
  }

  public ClipEncoder open() throws IOException, RemoteClipException {
    EngineThreads.configure(threads);
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size=" + batchSize + " (must be positive)");
    }
    ClipEncoder.Options options = ClipEncoder.Options.defaults().withBatchSize(batchSize).withConfig(config)
        .withActivation(activation == null ? null : Activation.parse(activation))
        .withBands(bands == null ? null : BandSelection.parse(bands)).withPrecision(precision());
    if (onnxRuntime()) {
      if (precision() != Precision.FP32) {
        throw new IllegalArgumentException("--precision " + precision + " is a DJL option; with --engine onnxruntime use --quantize int8");
      }
      Path dir = Path.of(model);
      if (OnnxExport.isExport(dir)) {
        Quantization stored = io.remoteclip.onnx.OnnxSidecar.read(dir).quantization();
        if (quantize != null && Quantization.parse(quantize) != stored) {
          throw new IllegalArgumentException("--quantize " + quantize + ": " + dir + " is an export with " + stored.cliName()
              + " weights; export again to change them");
        }
        return OnnxEngine.openExport(dir, options, engineOptions());
      }
      ModelResolver resolver = ModelResolver.fromEnvironment();
      ResolvedModel resolved = resolver.resolve(model, vocab, ConsoleProgress.stderr());
      return OnnxEngine.open(resolved, options, engineOptions(), resolver.settings().cacheDir(), ConsoleProgress.stderr());
    }
    return ClipEncoder.open(resolve(), options, io.remoteclip.ProgressListener.NONE);
  }
}

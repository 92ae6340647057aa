package io.remoteclip.cli;

import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.BandSelection;
import io.remoteclip.model.Activation;
import io.remoteclip.model.Precision;
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
    return ClipEncoder.open(resolve(), options, io.remoteclip.ProgressListener.NONE);
  }
}

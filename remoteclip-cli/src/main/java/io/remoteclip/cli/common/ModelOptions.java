package io.remoteclip.cli.common;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.BandSelection;
import io.remoteclip.model.Precision;
import io.remoteclip.perf.CpuFeatures;
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

  @Option(names = "--batch-size", defaultValue = "32", description = "Images or texts per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0", description = "Compute threads (0 = all cores).")
  int threads;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
      description = "Number format of the model: fp32 (default). bf16 is refused for now: the engine binding "
          + "(DJL 0.36) cannot create bfloat16 tensors.")
  String precision;

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

  /** {@code --batch-size}, checked positive. */
  public int batchSize() {
    Usage.require(mixee, batchSize > 0, "--batch-size=" + batchSize + " (must be positive)");
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
    ClipEncoder.Options options = ClipEncoder.Options.defaults().withBatchSize(batchSize()).withConfig(choice.config())
        .withActivation(choice.activation())
        .withBands(bands())
        .withPrecision(precision());
    return ClipEncoder.open(resolve(), options, ProgressListener.NONE);
  }
}

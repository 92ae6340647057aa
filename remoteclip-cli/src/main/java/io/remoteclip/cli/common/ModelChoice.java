package io.remoteclip.cli.common;

import io.remoteclip.RemoteClipException;
import io.remoteclip.hub.DefaultModel;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.model.Activation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Which model a command loads: {@code --model}, {@code --vocab}, {@code --config}, {@code --activation}. Without
 * {@code --model} the default model setting applies ({@link DefaultModel}); while that is the built-in
 * demonstration model the command says so in one line on stderr, never on stdout (JSON output stays clean).
 */
public final class ModelChoice {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--model", paramLabel = "NAME|PATH",
      description = "Model name (see 'remoteclip models'; downloaded once), or a checkpoint file (.pt, .safetensors) "
          + "or directory. Default: $REMOTECLIP_MODEL, else the one set with 'remoteclip models --set-default', "
          + "else remoteclip-mini (built in).")
  String model;

  @Option(names = "--vocab", paramLabel = "FILE",
      description = "BPE vocabulary (bpe_simple_vocab_16e6.txt.gz format). Default: the model's own, or the cached CLIP vocabulary.")
  Path vocab;

  @Option(names = "--config", paramLabel = "JSON",
      description = "open_clip model config (head counts, quick_gelu); default: open_clip_config.json or config.json next to the weights.")
  Path config;

  @Option(names = "--activation", paramLabel = "quickgelu|gelu|gelutanh",
      description = "MLP activation; default: from the config or registry, else quickgelu for CLIP (OpenAI-initialised "
          + "models) and gelu for SigLIP.")
  String activation;

  private boolean noticeShown;

  /** The model to load: {@code --model}, else the default setting (announcing the built-in one). */
  public String name() throws RemoteClipException, IOException {
    if (model != null) {
      return model;
    }
    DefaultModel d = DefaultModel.fromEnvironment();
    if (d.isBuiltIn() && !noticeShown) {
      noticeShown = true;
      PrintWriter err = mixee.commandLine().getErr();
      err.println("remoteclip: using the built-in demonstration model " + DefaultModel.BUILT_IN
          + " (small, low accuracy); for real work: remoteclip pull " + DefaultModel.RECOMMENDED
          + " && remoteclip models --set-default " + DefaultModel.RECOMMENDED);
      err.flush();
    }
    return d.name();
  }

  /** True when the command line named the model. */
  public boolean explicit() {
    return model != null;
  }

  /** Loads {@code model} (and {@code vocab} when not null) instead, e.g. the model an index was built with. */
  public void use(String model, Path vocab) {
    this.model = model;
    if (vocab != null) {
      this.vocab = vocab;
    }
  }

  /** {@code --vocab}, or null for the model's own. */
  public Path vocab() {
    return vocab;
  }

  /** {@code --config}, or null. */
  public Path config() {
    return config;
  }

  /** {@code --activation}, or null for the model's own. */
  public Activation activation() {
    return activation == null ? null : Usage.parse(mixee, "--activation", activation, Activation::parse);
  }

  /** Resolves the model (downloading it when needed and allowed), with its vocabulary. */
  public ResolvedModel resolve() throws IOException, RemoteClipException {
    return resolve(true);
  }

  /** As {@link #resolve()}; {@code needVocab} false skips the vocabulary of a bare checkpoint. */
  public ResolvedModel resolve(boolean needVocab) throws IOException, RemoteClipException {
    return ModelResolver.fromEnvironment().resolve(name(), vocab, ConsoleProgress.stderr(), needVocab);
  }
}

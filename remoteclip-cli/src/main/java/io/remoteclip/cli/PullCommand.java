package io.remoteclip.cli;

import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.ProgressListener;
import io.remoteclip.hub.Checksums;
import io.remoteclip.hub.ModelEntry;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code remoteclip pull NAME}: downloads a registered model into the cache for later offline use. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Download a registered model (weights, config and tokenizer files, vocabulary) into the cache, verify sizes and"
          + " SHA-256, and keep it for offline use. The model's directory appears only once every file is there;"
          + " interrupted downloads resume where they stopped.",
      "NAME is a model from `remoteclip models` or a vocabulary (clip-bpe)."
    },
    footer = {
      "%nExamples:",
      "  remoteclip pull RemoteCLIP-ViT-B-32",
      "  remoteclip pull Git-RSCLIP-base",
      "  remoteclip pull clip-bpe",
      "  HF_ENDPOINT=https://hf-mirror.com remoteclip pull RemoteCLIP-RN50 --force",
      "%nEnvironment:",
      "  REMOTECLIP_HOME       cache (default ~/.cache/remoteclip) + models.json",
      "  REMOTECLIP_OFFLINE=1  never use the network",
      "  HF_ENDPOINT           replaces https://huggingface.co (a HF mirror)",
      "  REMOTECLIP_MIRROR     replaces scheme://host of every URL",
      "  https_proxy, http_proxy, no_proxy  (or -Dhttps.proxyHost/-Dhttps.proxyPort)",
      "  REMOTECLIP_CONNECT_TIMEOUT, REMOTECLIP_READ_TIMEOUT  seconds (30, 60)",
      "  REMOTECLIP_DOWNLOAD_ATTEMPTS  tries per file, resuming each time (3)"
    })
public final class PullCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "Registered model or vocabulary name.")
  String name;

  @Option(names = "--force", description = "Download again even if the files are in the cache.")
  boolean force;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
  boolean quiet;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelResolver resolver = ModelResolver.fromEnvironment();
    Optional<ModelEntry> model = resolver.registry().model(name);
    if (model.isPresent() && model.get().bundled()) {
      ResolvedModel m = resolver.resolve(name);
      out.println(m.name() + " is bundled with remoteclip, nothing to download: " + m.weights().getParent());
      out.flush();
      return 0;
    }
    ProgressListener progress = quiet ? ProgressListener.NONE : ConsoleProgress.stderr();
    List<ModelResolver.Pulled> pulled = resolver.pull(name, force, progress);
    for (ModelResolver.Pulled p : pulled) {
      out.printf("%-10s %s  (%s)%n", p.role(), p.result().path(), status(p));
    }
    out.flush();
    return 0;
  }

  private static String status(ModelResolver.Pulled p) throws java.io.IOException {
    long size = java.nio.file.Files.size(p.result().path());
    if (p.result().alreadyPresent()) {
      return "already in the cache, " + ModelsCommand.humanSize(size);
    }
    if (p.result().verified()) {
      return "downloaded " + ModelsCommand.humanSize(size) + ", SHA-256 verified";
    }
    // Without a registry checksum, print the digest so that it can be pinned in models.json.
    return "downloaded " + ModelsCommand.humanSize(size) + ", not verified: the registry has no SHA-256; it is "
        + Checksums.sha256(p.result().path(), ProgressListener.NONE);
  }
}

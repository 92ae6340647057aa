package io.remoteclip.cli;

import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.onnx.OnnxExport;
import io.remoteclip.onnx.OnnxSidecar;
import io.remoteclip.onnx.Quantization;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a model's towers in an exchange format (ONNX) for other runtimes. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the image and text towers of a model as ONNX (opset 17, dynamic batch, weights as initialisers,",
      "external data beside a model over 2 GB) into a directory, with the model's tokenizer file (BPE vocabulary",
      "or SigLIP SentencePiece) and remoteclip-onnx.json (preprocessing, tokenizer, logit scale and bias, encoder",
      "identity). Any --engine onnxruntime command takes the directory as --model."
    },
    footer = {"%nExamples:",
      "  remoteclip export --onnx --model RemoteCLIP-ViT-B-32 --out vit-b-32-onnx",
      "  remoteclip export --onnx --quantize int8 --out mini-int8",
      "  remoteclip embed --engine onnxruntime --model mini-int8 --images ../shared/data/ucm-captions/images --out ucm.npy"})
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--onnx", required = true, description = "Export as ONNX (the only format for now).")
  boolean onnx;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory (new, empty, or an earlier export, which is replaced).")
  Path out;

  @Option(converter = Ranges.NonNegativeLong.class, names = "--external-data-above", defaultValue = "2000000000", paramLabel = "BYTES",
      description = "Weights of a tower above this size go to external data (<tower>.onnx.data); default ${DEFAULT-VALUE} "
          + "(protobuf's 2 GB limit)." + Ranges.NonNegativeLong.HELP)
  long externalThreshold;

  @Override
  public Integer call() throws Exception {
    Quantization q = modelOptions.engineOptions().quantization();
    ResolvedModel resolved = modelOptions.resolve();
    OnnxExport.Options options = OnnxExport.Options.defaults().withQuantization(q).withConfig(modelOptions.choice().config())
        .withActivation(modelOptions.choice().activation())
        .withExternalThreshold(externalThreshold);
    OnnxSidecar s = OnnxExport.export(resolved, options, out, ConsoleProgress.stderr());
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "wrote %s: %s (%s, %s weights, embed %d): %s %.1f MB%s, %s %.1f MB%s, %s, %s%n", out,
        s.architecture(), s.visionType(), q.cliName(), s.embedDim(), s.imageFile(), size(out, s.imageFile()),
        s.imageExternalData() ? " + external data" : "", s.textFile(), size(out, s.textFile()),
        s.textExternalData() ? " + external data" : "", s.vocabFile(), OnnxSidecar.FILE_NAME);
    w.flush();
    return 0;
  }

  private static double size(Path dir, String file) throws java.io.IOException {
    long n = Files.size(dir.resolve(file));
    Path data = dir.resolve(file + ".data");
    if (Files.exists(data)) {
      n += Files.size(data);
    }
    return n / 1e6;
  }
}

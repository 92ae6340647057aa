package io.remoteclip.cli;

import io.remoteclip.cli.common.Usage;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.hub.ModelResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Rewrites a checkpoint as .pt or .safetensors, optionally casting floating-point tensors. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = "Converts a checkpoint between .pt (torch.save zip) and .safetensors (by the --out extension) and casts "
        + "floating-point tensors to --dtype; integer buffers keep their type. Keys are normalised (no state_dict "
        + "wrapper, no module. prefix).",
    footer = {"%nExample:%n  remoteclip convert --model runs/ucm/checkpoints/best.pt --dtype fp16 --out mini.safetensors"})
public final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME|PATH") String model;

  @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

  @Option(names = "--dtype", paramLabel = "fp32|fp16|bf16", description = "Cast floating-point tensors (default: keep).")
  String dtype;

  @Override
  public Integer call() throws Exception {
    DType target = dtype == null ? null : switch (dtype.toLowerCase(Locale.ROOT)) {
      case "fp32", "float32" -> DType.FLOAT32;
      case "fp16", "float16", "half" -> DType.FLOAT16;
      case "bf16", "bfloat16" -> DType.BFLOAT16;
      default -> throw Usage.error(spec, "--dtype=" + dtype + " (expected fp32, fp16 or bf16)");
    };
    Path in = ModelResolver.fromEnvironment().resolve(model, null, ConsoleProgress.stderr(), false).weights();
    StateDict sd = Checkpoints.read(in);
    Map<String, TensorData> cast = new LinkedHashMap<>();
    sd.asMap().forEach((k, t) -> cast.put(k, target != null && t.dtype().isFloatingPoint() ? t.convertTo(target) : t));
    Checkpoints.write(out, new StateDict(cast, in));
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d tensors, %,d parameters, %.1f MB%n", out, cast.size(),
        sd.parameterCount(), Files.size(out) / 1e6);
    return 0;
  }
}

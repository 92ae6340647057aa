package io.remoteclip.cli.eval;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.eval.FewShot;
import io.remoteclip.eval.protocol.FewShotRequest;
import io.remoteclip.eval.protocol.FewShotResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code remoteclip eval fewshot}. */
@Command(
    name = "fewshot",
    mixinStandardHelpOptions = true,
    description = {
      "Few-shot linear probe: for each K, K training rows per class are drawn with seeds SEED, SEED+1, ...;",
      "a linear probe (fixed C) is fitted on them and scored on all test rows. Prints top-1 mean ± std",
      "(population std over seeds) in percent."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  D=../shared/data/embeddings/whurs19-remoteclip-vit-b-32",
      "  remoteclip eval fewshot --embeddings $D/images.npy --labels $D/labels.npy --shots 1,2,4,8,16 --seeds 5"
    })
public final class EvalFewShotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin TrainTestInputs inputs;
  @Mixin io.remoteclip.cli.common.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(converter = Ranges.Positive.class, names = "--shots", split = ",", defaultValue = "1,2,4,8,16,32", paramLabel = "K",
      description = "Images per class (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int[] shots;

  @Option(converter = Ranges.Positive.class, names = "--seeds", defaultValue = "5",
      description = "Runs per K (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int seeds;

  @Option(converter = Ranges.Seed.class, names = "--seed", defaultValue = "0",
      description = "Seed of the first run (default: ${DEFAULT-VALUE})." + Ranges.Seed.HELP)
  long seed;

  @Option(converter = Ranges.PositiveDouble.class, names = "-C", defaultValue = "3.16",
      description = "Inverse L2 strength (default: ${DEFAULT-VALUE})." + Ranges.PositiveDouble.HELP)
  double c;

  @Option(converter = Ranges.Positive.class, names = "--max-iterations", defaultValue = "1000",
      description = "L-BFGS iterations (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int maxIterations;

  @Override
  public Integer call() throws Exception {
    if (!inputs.endToEnd()) {
      EvalInputs.rejectModelOptions(spec);
    }
    FewShotRequest request = new FewShotRequest(inputs.input(spec), shots, seeds, seed, c, maxIterations);
    ModelSession.Ran ran = ModelSession.run(request, model, cache, spec);
    FewShotResult r = (FewShotResult) ran.result();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, r, OutputOptions.context("model", ran.modelId(), "data", r.source()));
    } else {
      out.printf("few-shot linear probe (C = %s): %d classes, %d test rows, %d seeds from %d%n", c, r.classes(),
          r.testRows(), seeds, seed);
      out.printf("  %5s  %16s%n", "K", "top-1 (%)");
      for (FewShot.Shot s : r.shots()) {
        out.printf("  %5d  %7.2f ± %5.2f%n", s.k(), s.mean(), s.std());
      }
      out.flush();
    }
    return 0;
  }
}

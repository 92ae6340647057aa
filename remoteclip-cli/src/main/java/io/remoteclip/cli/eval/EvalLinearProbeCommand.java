package io.remoteclip.cli.eval;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.eval.LinearProbe;
import io.remoteclip.eval.protocol.LinearProbeRequest;
import io.remoteclip.eval.protocol.LinearProbeResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code remoteclip eval linear-probe}. */
@Command(
    name = "linear-probe",
    mixinStandardHelpOptions = true,
    description = {
      "Linear probe: multinomial logistic regression (L2, L-BFGS) on L2-normalised frozen image embeddings.",
      "Fixed C (RemoteCLIP: 3.16, up to 1000 iterations) or --search-c: C picked on a validation part of the",
      "training rows (--val-fraction, seeded), then refitted on all training rows. Metrics in percent."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  D=../shared/data/embeddings/whurs19-remoteclip-vit-b-32",
      "  remoteclip eval linear-probe --embeddings $D/images.npy --labels $D/labels.npy --train-fraction 0.5"
    })
public final class EvalLinearProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin TrainTestInputs inputs;
  @Mixin io.remoteclip.cli.common.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(converter = Ranges.PositiveDouble.class, names = "-C", defaultValue = "3.16", paramLabel = "C",
      description = "Inverse L2 strength (default: ${DEFAULT-VALUE})." + Ranges.PositiveDouble.HELP)
  double c;

  @Option(converter = Ranges.Positive.class, names = "--max-iterations", defaultValue = "1000",
      description = "L-BFGS iterations (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int maxIterations;

  @Option(names = "--search-c", description = "Choose C from 1e-3..1e3 (half decades) on a validation split.")
  boolean searchC;

  @Option(converter = Ranges.SplitFraction.class, names = "--val-fraction", defaultValue = "0.2", paramLabel = "F",
      description = "Share of each class of the training rows held out to choose C (default: ${DEFAULT-VALUE})."
          + Ranges.SplitFraction.HELP)
  double valFraction;

  @Option(converter = Ranges.Seed.class, names = "--seed", defaultValue = "0",
      description = "Seed of the validation split (default: ${DEFAULT-VALUE})." + Ranges.Seed.HELP)
  long seed;

  @Override
  public Integer call() throws Exception {
    if (!inputs.endToEnd()) {
      EvalInputs.rejectModelOptions(spec);
    }
    LinearProbeRequest request = new LinearProbeRequest(inputs.input(spec), c, maxIterations,
        searchC ? LinearProbeRequest.CSearch.defaults(valFraction, seed) : null);
    ModelSession.Ran ran = ModelSession.run(request, model, cache, spec);
    LinearProbeResult r = (LinearProbeResult) ran.result();
    LinearProbe.Result probe = r.probe();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, r, OutputOptions.context("model", ran.modelId(), "data", r.source()));
    } else {
      out.printf("linear probe: %d train / %d test rows, %d classes, C = %s, %d L-BFGS iterations%s%n",
          r.trainRows(), probe.metrics().count(), r.classNames().size(), probe.c(), probe.iterations(),
          probe.converged() ? "" : " (not converged)");
      if (!probe.validationTop1().isEmpty()) {
        out.println("  validation top-1 by C: " + probe.validationTop1());
      }
      Tables.classification(out, probe.metrics(), r.classNames(), false);
    }
    return 0;
  }
}

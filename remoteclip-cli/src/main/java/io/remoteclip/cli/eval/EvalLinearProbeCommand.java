package io.remoteclip.cli.eval;

import io.remoteclip.cli.ConsoleProgress;
import io.remoteclip.eval.LinearProbe;
import io.remoteclip.eval.Splits;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
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
  @Mixin io.remoteclip.cli.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(names = "-C", defaultValue = "3.16", paramLabel = "C", description = "Inverse L2 strength (default: ${DEFAULT-VALUE}).")
  double c;

  @Option(names = "--max-iterations", defaultValue = "1000", description = "L-BFGS iterations (default: ${DEFAULT-VALUE}).")
  int maxIterations;

  @Option(names = "--search-c", description = "Choose C from 1e-3..1e3 (half decades) on a validation split.")
  boolean searchC;

  @Option(names = "--val-fraction", defaultValue = "0.2", paramLabel = "F",
      description = "Share of each class of the training rows held out to choose C (default: ${DEFAULT-VALUE}).")
  double valFraction;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the validation split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (!inputs.endToEnd()) {
      EvalInputs.rejectModelOptions(spec);
    }
    TrainTestInputs.Data d = inputs.load(() -> ModelSession.open(model, cache, spec));
    LinearProbe.Result r;
    if (searchC) {
      Splits.TrainTest tv = Splits.stratified(d.trainLabels(), 1 - valFraction, seed);
      r = LinearProbe.searchAndEvaluate(Splits.rows(d.train(), tv.train()), Splits.at(d.trainLabels(), tv.train()),
          Splits.rows(d.train(), tv.test()), Splits.at(d.trainLabels(), tv.test()), d.test(), d.testLabels(),
          d.classes(), LinearProbe.DEFAULT_C_GRID, maxIterations, ConsoleProgress.stderr());
    } else {
      r = LinearProbe.evaluate(d.train(), d.trainLabels(), d.test(), d.testLabels(), d.classes(), c, maxIterations);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("protocol", "linear-probe");
      m.put("unit", "percent");
      m.put("data", d.source());
      m.put("train", d.train().length);
      m.put("classes", d.classes());
      m.putAll(r.metrics().summary());
      m.put("C", r.c());
      m.put("iterations", r.iterations());
      m.put("converged", r.converged());
      if (!r.validationTop1().isEmpty()) {
        Map<String, Object> v = new LinkedHashMap<>();
        r.validationTop1().forEach((k, a) -> v.put(Double.toString(k), a));
        m.put("validation_top1", v);
      }
      m.put("per_class_recall", r.metrics().perClassRecall());
      m.put("confusion", r.metrics().confusion());
      OutputOptions.printJson(out, m);
    } else {
      out.printf("linear probe: %d train / %d test rows, %d classes, C = %s, %d L-BFGS iterations%s%n",
          d.train().length, d.test().length, d.classes(), r.c(), r.iterations(), r.converged() ? "" : " (not converged)");
      if (!r.validationTop1().isEmpty()) {
        out.println("  validation top-1 by C: " + r.validationTop1());
      }
      Tables.classification(out, r.metrics(), d.names(), false);
    }
    return 0;
  }
}

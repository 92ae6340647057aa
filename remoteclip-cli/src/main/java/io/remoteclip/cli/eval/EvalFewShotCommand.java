package io.remoteclip.cli.eval;

import io.remoteclip.cli.ConsoleProgress;
import io.remoteclip.eval.FewShot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  @Mixin io.remoteclip.cli.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(names = "--shots", split = ",", defaultValue = "1,2,4,8,16,32", paramLabel = "K",
      description = "Images per class (default: ${DEFAULT-VALUE}).")
  int[] shots;

  @Option(names = "--seeds", defaultValue = "5", description = "Runs per K (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the first run (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "-C", defaultValue = "3.16", description = "Inverse L2 strength (default: ${DEFAULT-VALUE}).")
  double c;

  @Option(names = "--max-iterations", defaultValue = "1000", description = "L-BFGS iterations (default: ${DEFAULT-VALUE}).")
  int maxIterations;

  @Override
  public Integer call() throws Exception {
    if (!inputs.endToEnd()) {
      EvalInputs.rejectModelOptions(spec);
    }
    TrainTestInputs.Data d = inputs.load(() -> ModelSession.open(model, cache, spec));
    List<FewShot.Shot> r = FewShot.evaluate(d.train(), d.trainLabels(), d.test(), d.testLabels(), d.classes(), shots,
        seeds, seed, c, maxIterations, ConsoleProgress.stderr());
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("protocol", "fewshot");
      m.put("unit", "percent");
      m.put("data", d.source());
      m.put("classes", d.classes());
      m.put("seeds", seeds);
      m.put("C", c);
      List<Object> rows = new ArrayList<>();
      for (FewShot.Shot s : r) {
        rows.add(s.summary());
        m.put("top1_k" + s.k(), s.mean());
      }
      m.put("shots", rows);
      OutputOptions.printJson(out, m);
    } else {
      out.printf("few-shot linear probe (C = %s): %d classes, %d test rows, %d seeds from %d%n", c, d.classes(),
          d.test().length, seeds, seed);
      out.printf("  %5s  %16s%n", "K", "top-1 (%)");
      for (FewShot.Shot s : r) {
        out.printf("  %5d  %7.2f ± %5.2f%n", s.k(), s.mean(), s.std());
      }
      out.flush();
    }
    return 0;
  }
}

package io.remoteclip.cli.eval;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.eval.protocol.KnnRequest;
import io.remoteclip.eval.protocol.KnnResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code remoteclip eval knn}. */
@Command(
    name = "knn",
    mixinStandardHelpOptions = true,
    description = {
      "k-NN classification: the k most cosine-similar training rows vote with weight exp(sim / T)",
      "(DINO/ITRA style; k = 20, T = 0.07 by default). Metrics in percent."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  remoteclip eval knn --train-embeddings train.npy --train-labels train_labels.npy \\",
      "      --test-embeddings test.npy --test-labels test_labels.npy -k 20 --temperature 0.07"
    })
public final class EvalKnnCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin TrainTestInputs inputs;
  @Mixin io.remoteclip.cli.common.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(converter = Ranges.Positive.class, names = "-k", defaultValue = "20",
      description = "Neighbours (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int k;

  @Option(converter = Ranges.PositiveDouble.class, names = "--temperature", defaultValue = "0.07", paramLabel = "T",
      description = "Vote temperature (default: ${DEFAULT-VALUE})." + Ranges.PositiveDouble.HELP)
  double temperature;

  @Override
  public Integer call() throws Exception {
    if (!inputs.endToEnd()) {
      EvalInputs.rejectModelOptions(spec);
    }
    ModelSession.Ran ran = ModelSession.run(new KnnRequest(inputs.input(spec), k, temperature), model, cache, spec);
    KnnResult r = (KnnResult) ran.result();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, r, OutputOptions.context("model", ran.modelId(), "data", r.source()));
    } else {
      out.printf("k-NN (k = %d, T = %s): %d train / %d test rows, %d classes%n", k, temperature, r.trainRows(),
          r.metrics().count(), r.classNames().size());
      Tables.classification(out, r.metrics(), r.classNames(), false);
    }
    return 0;
  }
}

package io.remoteclip.cli.eval;

import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.Knn;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
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
  @Mixin io.remoteclip.cli.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(names = "-k", defaultValue = "20", description = "Neighbours (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--temperature", defaultValue = "0.07", paramLabel = "T", description = "Vote temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Override
  public Integer call() throws Exception {
    if (!inputs.endToEnd()) {
      EvalInputs.rejectModelOptions(spec);
    }
    TrainTestInputs.Data d = inputs.load(() -> ModelSession.open(model, cache, spec));
    ClassificationMetrics m = Knn.evaluate(d.train(), d.trainLabels(), d.test(), d.testLabels(), d.classes(), k, temperature);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("protocol", "knn");
      r.put("unit", "percent");
      r.put("data", d.source());
      r.put("k", k);
      r.put("temperature", temperature);
      r.put("train", d.train().length);
      r.put("classes", d.classes());
      r.putAll(m.summary());
      r.put("per_class_recall", m.perClassRecall());
      r.put("confusion", m.confusion());
      OutputOptions.printJson(out, r);
    } else {
      out.printf("k-NN (k = %d, T = %s): %d train / %d test rows, %d classes%n", k, temperature, d.train().length,
          d.test().length, d.classes());
      Tables.classification(out, m, d.names(), false);
    }
    return 0;
  }
}

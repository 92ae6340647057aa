package io.remoteclip.cli.eval;

import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.eval.benchmark.BenchmarkConfig;
import io.remoteclip.eval.benchmark.BenchmarkReport;
import io.remoteclip.eval.benchmark.BenchmarkResult;
import io.remoteclip.eval.benchmark.BenchmarkRunner;
import io.remoteclip.hub.ModelResolver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code remoteclip benchmark --config FILE}. */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Runs models x data sets x protocols from a YAML or JSON config, on cached embeddings or end to end, and writes",
      "results.json, results.md (tables laid out like the RemoteCLIP paper's) and PNG charts (few-shot",
      "accuracy vs K per data set, per-class recall bars) into the config's output folder. Progress on stderr.",
      "Config keys: output, protocols (default: all but zeroshot-transductive, which runs when named),",
      "linear_probe{C,max_iterations}, knn{k,temperature},",
      "fewshot{shots,seeds,seed}, split{train_fraction,seed}, models[{name, datasets[{name, images, labels,",
      "train_images, train_labels, test_images, test_labels, classes, class_embeddings, ensemble, texts,",
      "text_to_image, counting_items, counting_images, counting_captions}]}]. Paths are relative to the config.",
      "End to end: a model entry with model (name or checkpoint), vocab, config, activation; its datasets take",
      "dataset (class folders, label CSV, or caption JSON for retrieval), split_from, train_split, test_split,",
      "retrieval_split, templates (single, remote-sensing or a file), class_names, counting_items. Embeddings",
      "are cached in cache_dir (default $REMOTECLIP_HOME/embeddings or ~/.cache/remoteclip/embeddings)."
    },
    footerHeading = "%nExample (bench.yaml next to ../shared):%n",
    footer = {
      "  output: bench-out",
      "  protocols: [zeroshot, linear-probe, knn, fewshot]",
      "  models:",
      "    - name: RemoteCLIP ViT-B-32",
      "      datasets:",
      "        - name: WHU-RS19",
      "          images: shared/data/embeddings/whurs19-remoteclip-vit-b-32/images.npy",
      "          labels: shared/data/embeddings/whurs19-remoteclip-vit-b-32/labels.npy",
      "          classes: shared/data/embeddings/whurs19-remoteclip-vit-b-32/class_prompt_names.txt",
      "          class_embeddings: [shared/data/embeddings/whurs19-remoteclip-vit-b-32/texts_averageprompt.npy]",
      "",
      "  remoteclip benchmark --config bench.yaml"
    })
public final class BenchmarkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Benchmark configuration (.yaml, .yml or .json).")
  Path config;

  @Option(names = "--output", paramLabel = "DIR", description = "Output folder (overrides the config's 'output').")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!java.nio.file.Files.exists(config)) {
      throw new java.nio.file.NoSuchFileException(config.toString());
    }
    BenchmarkConfig c = BenchmarkConfig.load(config);
    if (output != null) {
      c = c.withOutput(output.toAbsolutePath());
    }
    PrintWriter err = spec.commandLine().getErr();
    List<BenchmarkResult> results = new BenchmarkRunner(c, ModelResolver.fromEnvironment(), ConsoleProgress.stderr(),
        line -> {
          err.println(line);
          err.flush();
        }).run();
    List<Path> files = new ArrayList<>(BenchmarkReport.write(c, results));
    runHeadless();
    files.addAll(BenchmarkCharts.write(c.output(), results));
    PrintWriter out = spec.commandLine().getOut();
    for (Path p : files) {
      out.println(p);
    }
    out.flush();
    return 0;
  }

  /**
   * Charts draw offscreen and need no display, but AWT fails when {@code DISPLAY} names an unreachable X
   * server; this command owns its process, so it asks for headless AWT unless the user chose otherwise.
   */
  private static void runHeadless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }
}

package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.eval.transductive.KnnGraph;
import io.remoteclip.eval.transductive.TransClip;
import io.remoteclip.eval.transductive.TransClipOptions;
import io.remoteclip.eval.transductive.TransClipResult;
import io.remoteclip.cli.perf.LoadAverage;
import io.remoteclip.cli.perf.Throughput;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip bench transductive}: time and memory of the TransCLIP solver on synthetic embeddings. */
@Command(
    name = "transductive",
    mixinStandardHelpOptions = true,
    description = {
      "Measures transductive zero-shot (TransCLIP) on synthetic L2-normalised embeddings: clustered image",
      "embeddings and noisy class vectors of the given dimension. For each --n: seconds for the exact k-NN",
      "graph, for the solver's iterations, in total and per 1,000 embeddings; peak heap; the machine's load.",
      "Run it with the heap you mean to give (bin/remoteclip uses -Xmx4g)."
    },
    footer = {"%nExamples:",
        "  remoteclip bench transductive --n 1000,10000 --dim 768",
        "  remoteclip bench transductive --n 100000 --dim 768 --classes 20 --json"})
public final class BenchTransductiveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(converter = Ranges.Positive.class, names = "--n", split = ",", defaultValue = "1000,10000", paramLabel = "N[,N...]",
      description = "Numbers of image embeddings, one measurement each (default: ${DEFAULT-VALUE})."
          + Ranges.Positive.HELP)
  List<Integer> sizes;

  @Option(converter = Ranges.Positive.class, names = "--dim", defaultValue = "768",
      description = "Embedding dimension (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int dim;

  @Option(converter = Ranges.Positive.class, names = "--classes", defaultValue = "20",
      description = "Number of classes (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int classes;

  @Option(converter = Ranges.ThreadCount.class, names = "--threads",
      description = "Solver threads (default: available processors)." + Ranges.ThreadCount.HELP)
  Integer threads;

  @Option(converter = Ranges.Seed.class, names = "--seed", defaultValue = "0",
      description = "Seed of the synthetic data (default: ${DEFAULT-VALUE})." + Ranges.Seed.HELP)
  long seed;

  @Option(names = "--json", description = "One JSON object per measurement.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (sizes.stream().anyMatch(n -> n < Math.max(classes, 4))) {
      throw io.remoteclip.cli.common.Usage.error(spec, "every --n must be at least max(--classes, 4)");
    }
    TransClipOptions options = threads == null ? TransClipOptions.reference() : TransClipOptions.reference().withThreads(threads);
    PrintWriter out = spec.commandLine().getOut();
    for (int n : sizes) {
      Random rnd = new Random(seed);
      float[][] centres = gaussianRows(rnd, classes, dim, 1);
      float[][] images = new float[n][];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = rnd.nextInt(classes);
        images[i] = noisy(rnd, centres[labels[i]], 3.0);
      }
      float[][] texts = new float[classes][];
      for (int c = 0; c < classes; c++) {
        texts[c] = noisy(rnd, centres[c], 2.0);
      }
      String load = LoadAverage.now();
      System.gc();
      long t0 = System.nanoTime();
      KnnGraph graph = TransClip.graph(images, options);
      long t1 = System.nanoTime();
      TransClipResult r = TransClip.solve(images, texts, graph, options);
      long t2 = System.nanoTime();
      double graphS = (t1 - t0) / 1e9;
      double solveS = (t2 - t1) / 1e9;
      double total = graphS + solveS;
      double heapMb = Throughput.peakHeap() / 1e6;
      double maxHeapMb = Runtime.getRuntime().maxMemory() / 1e6;
      double inductive = accuracy(r.textPredictions(), labels);
      double transductive = accuracy(r.predictions(), labels);
      if (json) {
        out.printf(Locale.ROOT, "{\"n\": %d, \"dim\": %d, \"classes\": %d, \"neighbors\": %d, \"threads\": %d, "
                + "\"knn_s\": %.3f, \"solve_s\": %.3f, \"total_s\": %.3f, \"s_per_1000\": %.4f, "
                + "\"peak_heap_mb\": %.1f, \"max_heap_mb\": %.1f, \"load_average\": \"%s\", "
                + "\"synthetic_top1_inductive\": %.2f, \"synthetic_top1\": %.2f}%n",
            n, dim, classes, options.neighbors(), options.threads(), graphS, solveS, total, 1000 * total / n, heapMb,
            maxHeapMb, load, inductive, transductive);
      } else {
        out.printf(Locale.ROOT, "transductive n=%d dim=%d classes=%d threads=%d: k-NN %.2fs + solver %.2fs = %.2fs "
                + "(%.3fs per 1,000); peak heap %.0f MB of %.0f MB; load %s; synthetic top-1 %.1f%% -> %.1f%%%n",
            n, dim, classes, options.threads(), graphS, solveS, total, 1000 * total / n, heapMb, maxHeapMb, load,
            inductive, transductive);
      }
      out.flush();
    }
    return 0;
  }

  /** Unit rows with independent standard normal entries. */
  private static float[][] gaussianRows(Random rnd, int n, int dim, double scale) {
    float[][] m = new float[n][];
    for (int i = 0; i < n; i++) {
      m[i] = noisy(rnd, new float[dim], scale);
    }
    return m;
  }

  /** {@code normalise(centre + noise)} with noise of total norm about {@code noiseNorm}. */
  private static float[] noisy(Random rnd, float[] centre, double noiseNorm) {
    int dim = centre.length;
    float[] v = new float[dim];
    double s = 0;
    double sd = noiseNorm / Math.sqrt(dim);
    for (int p = 0; p < dim; p++) {
      v[p] = (float) (centre[p] + sd * rnd.nextGaussian());
      s += v[p] * (double) v[p];
    }
    for (int p = 0; p < dim; p++) {
      v[p] /= (float) Math.sqrt(s);
    }
    return v;
  }

  private static double accuracy(int[] predicted, int[] labels) {
    int ok = 0;
    for (int i = 0; i < labels.length; i++) {
      ok += predicted[i] == labels[i] ? 1 : 0;
    }
    return 100.0 * ok / labels.length;
  }
}

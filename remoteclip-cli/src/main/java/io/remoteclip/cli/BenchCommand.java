package io.remoteclip.cli;

import io.remoteclip.model.Architectures;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipInit;
import io.remoteclip.model.ClipModel;
import io.remoteclip.perf.Throughput;
import io.remoteclip.perf.Throughput.Measurement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Throughput of a randomly initialised model of a named architecture (the same measurement as the PyTorch baseline). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures encoding throughput (images/s, texts/s: median, min, max over timed iterations after warm-up),",
      "peak heap and peak resident memory, on a random-initialised model of the named architecture.",
      "With --images DIR, also measures end to end (decode + preprocess + encode) over the JPEG files of DIR."
    },
    footer = {"%nExample:%n  remoteclip bench --arch ViT-B-32 --batch-size 32 --threads 2 --tower both --json"})
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--arch", defaultValue = "ViT-B-32", description = "ViT-B-32, ViT-B-16, ViT-L-14, RN50, RN101 or a custom spec (default: ${DEFAULT-VALUE}).")
  String arch;

  @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = all cores).")
  int threads;

  @Option(names = "--tower", defaultValue = "both", description = "image, text or both (default: ${DEFAULT-VALUE}).")
  String tower;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--iters", defaultValue = "5", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
  int iters;

  @Option(names = "--json", description = "One JSON object per measurement (same keys as the PyTorch baseline).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!List.of("image", "text", "both").contains(tower)) {
      throw new IllegalArgumentException("--tower=" + tower + " (expected image, text or both)");
    }
    EngineThreads.configure(threads);
    ClipConfig config = Architectures.parse(arch, 0);
    PrintWriter out = spec.commandLine().getOut();
    List<Measurement> results = new ArrayList<>();
    try (ClipModel model = ClipModel.load(ClipInit.random(config, 0), config, "random:" + arch)) {
      Random rng = new Random(0);
      if (!tower.equals("text")) {
        int s = model.imageSize();
        float[] pixels = new float[batchSize * 3 * s * s];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (float) rng.nextGaussian();
        }
        results.add(Throughput.measure("image", batchSize, warmup, iters, () -> model.encodeImages(pixels, batchSize)));
      }
      if (!tower.equals("image")) {
        long[][] tokens = new long[batchSize][model.contextLength()];
        for (long[] row : tokens) {
          for (int j = 0; j < 20; j++) {
            row[j] = 1 + rng.nextInt(49405);
          }
          row[20] = 49407;
        }
        results.add(Throughput.measure("text", batchSize, warmup, iters, () -> model.encodeTexts(tokens)));
      }
    }
    for (Measurement m : results) {
      out.println(json ? m.toJson(arch, EngineThreads.current()) : m.toText(arch, EngineThreads.current()));
    }
    out.flush();
    return 0;
  }
}

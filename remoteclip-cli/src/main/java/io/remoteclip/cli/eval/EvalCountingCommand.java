package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.eval.Counting;
import io.remoteclip.eval.CountingCaptions;
import io.remoteclip.eval.CountingItem;
import io.remoteclip.eval.CountingItems;
import io.remoteclip.eval.CountingMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code remoteclip eval counting}. */
@Command(
    name = "counting",
    mixinStandardHelpOptions = true,
    description = {
      "RemoteCount-style counting: each image ranks its ten captions \"There are {1..10} {objects} in the image.\"",
      "Reports top-1 and top-3 accuracy of the true count (percent) and the mean absolute count error.",
      "Caption embeddings are [items*10, D] (or [items, 10, D]) in the order of the items file, counts 1..10."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  remoteclip eval counting --items count/items.jsonl --image-embeddings count_images.npy \\",
      "      --caption-embeddings count_captions.npy"
    })
public final class EvalCountingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(names = "--items", required = true, paramLabel = "items.jsonl",
      description = "One {\"image\", \"category\", \"plural\", \"count\"} object per line.")
  Path items;

  @Option(names = "--image-embeddings", required = true, paramLabel = "I.npy", description = "One row per item.")
  Path imageEmbeddings;

  @Option(names = "--caption-embeddings", required = true, paramLabel = "C.npy",
      description = "Embeddings of the ten count captions of every item.")
  Path captionEmbeddings;

  @Override
  public Integer call() throws Exception {
    List<CountingItem> list = CountingItems.load(EvalInputs.existing(items));
    float[][] images = EvalInputs.embeddings(imageEmbeddings);
    float[][] captions = EvalInputs.embeddingsFlattened(captionEmbeddings, CountingCaptions.MAX_COUNT);
    if (images.length != list.size()) {
      throw new DataFormatException(imageEmbeddings + ": " + images.length + " rows but " + items + " has " + list.size() + " items");
    }
    if (captions.length != list.size() * CountingCaptions.MAX_COUNT) {
      throw new DataFormatException(captionEmbeddings + ": " + captions.length + " rows, expected "
          + list.size() * CountingCaptions.MAX_COUNT + " (10 per item)");
    }
    EvalInputs.sameDimension(imageEmbeddings, images, captionEmbeddings, captions);
    CountingMetrics m = Counting.evaluate(images, captions, list.stream().mapToInt(CountingItem::count).toArray());
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("protocol", "counting");
      r.put("unit", "percent (top1, top3); instances (mean_absolute_error)");
      r.putAll(m.summary());
      r.put("confusion", m.confusion());
      OutputOptions.printJson(out, r);
    } else {
      out.printf("counting: %d items%n", m.count());
      Tables.row(out, "top-1", m.top1());
      Tables.row(out, "top-3", m.top3());
      out.printf("  %-24s %7.3f%n", "mean absolute error", m.meanAbsoluteError());
      out.flush();
    }
    return 0;
  }
}

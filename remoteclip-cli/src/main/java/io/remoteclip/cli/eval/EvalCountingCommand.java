package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.cli.ConsoleProgress;
import io.remoteclip.eval.Counting;
import io.remoteclip.eval.EncoderEvaluations;
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
      "Caption embeddings are [items*10, D] (or [items, 10, D]) in the order of the items file, counts 1..10.",
      "Without embedding files the images (relative to items.jsonl) and captions are encoded with --model",
      "through the embedding cache (as written by 'remoteclip counting-set')."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  remoteclip eval counting --model ../shared/golden/vit-tiny/model.pt \\",
      "      --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz --items count/items.jsonl",
      "  remoteclip eval counting --items count/items.jsonl --image-embeddings count_images.npy \\",
      "      --caption-embeddings count_captions.npy"
    })
public final class EvalCountingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin io.remoteclip.cli.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(names = "--caption-template", defaultValue = CountingCaptions.DEFAULT_TEMPLATE, paramLabel = "TEXT",
      description = "End to end: count caption with {count} and {objects} (default: \"${DEFAULT-VALUE}\").")
  String captionTemplate;

  @Option(names = "--number-words", description = "End to end: write counts as words (\"three\") instead of digits.")
  boolean numberWords;

  @Option(names = "--items", required = true, paramLabel = "items.jsonl",
      description = "One {\"image\", \"category\", \"plural\", \"count\"} object per line.")
  Path items;

  @Option(names = "--image-embeddings", paramLabel = "I.npy", description = "One row per item.")
  Path imageEmbeddings;

  @Option(names = "--caption-embeddings", paramLabel = "C.npy",
      description = "Embeddings of the ten count captions of every item.")
  Path captionEmbeddings;

  @Override
  public Integer call() throws Exception {
    List<CountingItem> list = CountingItems.load(EvalInputs.existing(items));
    if (imageEmbeddings == null && captionEmbeddings == null) {
      CountingCaptions captions = new CountingCaptions(captionTemplate, numberWords);
      CountingMetrics m;
      String modelId;
      try (ModelSession session = ModelSession.open(model, cache, spec)) {
        m = EncoderEvaluations.counting(session.encoder(), list, captions, ConsoleProgress.stderr());
        modelId = session.modelId();
        session.report();
      }
      print(m, modelId);
      return 0;
    }
    EvalInputs.rejectModelOptions(spec);
    if (imageEmbeddings == null || captionEmbeddings == null) {
      throw new IllegalArgumentException("--image-embeddings and --caption-embeddings go together "
          + "(or give neither to encode with --model)");
    }
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
    print(m, null);
    return 0;
  }

  private void print(CountingMetrics m, String modelId) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("protocol", "counting");
      r.put("unit", "percent (top1, top3); instances (mean_absolute_error)");
      if (modelId != null) {
        r.put("model", modelId);
      }
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
  }
}

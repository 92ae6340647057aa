package io.remoteclip.cli.eval;

import io.remoteclip.eval.CountingCaptions;
import io.remoteclip.eval.CountingItems;
import io.remoteclip.eval.CountingMetrics;
import io.remoteclip.eval.protocol.CountingRequest;
import io.remoteclip.eval.protocol.CountingResult;
import io.remoteclip.eval.protocol.EmbeddingFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
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
  @Mixin io.remoteclip.cli.common.ModelOptions model;
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
    CountingRequest request;
    if (imageEmbeddings == null && captionEmbeddings == null) {
      CountingCaptions captions;
      try {
        captions = new CountingCaptions(captionTemplate, numberWords);
      } catch (IllegalArgumentException e) {
        throw EvalInputs.usage(spec, "--caption-template needs {count} and {objects}: " + captionTemplate);
      }
      request = new CountingRequest(CountingItems.load(EmbeddingFiles.existing(items)),
          new CountingRequest.Captions(captions));
    } else {
      EvalInputs.rejectModelOptions(spec);
      if (imageEmbeddings == null || captionEmbeddings == null) {
        throw EvalInputs.usage(spec, "--image-embeddings and --caption-embeddings go together "
            + "(or give neither to encode with --model)");
      }
      request = EmbeddingFiles.counting(items, imageEmbeddings, captionEmbeddings);
    }
    ModelSession.Ran ran = ModelSession.run(request, model, cache, spec);
    CountingMetrics m = ((CountingResult) ran.result()).metrics();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, ran.result(), OutputOptions.context("model", ran.modelId()));
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

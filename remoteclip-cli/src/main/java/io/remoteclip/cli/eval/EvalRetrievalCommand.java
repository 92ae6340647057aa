package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.cli.ConsoleProgress;
import io.remoteclip.dataset.CaptionDataset;
import io.remoteclip.dataset.Datasets;
import io.remoteclip.eval.EncoderEvaluations;
import io.remoteclip.eval.Retrieval;
import io.remoteclip.eval.RetrievalMetrics;
import io.remoteclip.npy.Npy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code remoteclip eval retrieval}. */
@Command(
    name = "retrieval",
    mixinStandardHelpOptions = true,
    description = {
      "Image-text retrieval as RemoteCLIP's retrieval.py: I->T R@K = share of images with one of their captions",
      "in the K most similar texts; T->I R@K = share of captions whose image is in the K most similar images;",
      "K = 1, 5, 10; mean recall = mean of the six (percent). Equal scores are ordered by gallery index;",
      "K larger than the gallery retrieves all of it.",
      "End to end (--dataset JSON with --model): the --split images (test by default, as RemoteCLIP) and their",
      "captions, capitalize()d, are encoded through the embedding cache."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  remoteclip eval retrieval --model ../shared/golden/vit-tiny/model.pt \\",
      "      --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz \\",
      "      --dataset ../shared/data/ucm-captions/dataset_ucm.json",
      "  remoteclip eval retrieval --image-embeddings ucm_test_images.npy --text-embeddings ucm_test_captions.npy \\",
      "      --text-to-image ucm_test_caption_image.npy --json"
    })
public final class EvalRetrievalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin io.remoteclip.cli.ModelOptions model;
  @Mixin CacheOptions cache;

  @Option(names = "--dataset", paramLabel = "JSON",
      description = "End to end: a Karpathy-style caption JSON (images/ next to it), encoded with --model.")
  Path dataset;

  @Option(names = "--split", defaultValue = "test", paramLabel = "NAME",
      description = "With --dataset: the split to retrieve in, or 'all' (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--image-embeddings", paramLabel = "I.npy", description = "Gallery image embeddings [images, D].")
  Path imageEmbeddings;

  @Option(names = "--text-embeddings", paramLabel = "T.npy", description = "Caption embeddings [texts, D].")
  Path textEmbeddings;

  @Option(names = "--text-to-image", paramLabel = "M.npy", description = "int64 [texts]: the image row of each caption.")
  Path textToImage;

  @Override
  public Integer call() throws Exception {
    if (dataset != null) {
      return endToEnd();
    }
    EvalInputs.rejectModelOptions(spec);
    if (imageEmbeddings == null || textEmbeddings == null || textToImage == null) {
      throw new IllegalArgumentException("give --dataset (with --model), or --image-embeddings, --text-embeddings "
          + "and --text-to-image");
    }
    float[][] images = EvalInputs.embeddings(imageEmbeddings);
    float[][] texts = EvalInputs.embeddings(textEmbeddings);
    EvalInputs.sameDimension(imageEmbeddings, images, textEmbeddings, texts);
    int[] owner = Npy.readLabels(EvalInputs.existing(textToImage));
    if (owner.length != texts.length) {
      throw new DataFormatException(textToImage + ": " + owner.length + " entries but " + textEmbeddings + " has "
          + texts.length + " rows");
    }
    for (int t = 0; t < owner.length; t++) {
      if (owner[t] < 0 || owner[t] >= images.length) {
        throw new DataFormatException(textToImage + ": entry " + t + " is image " + owner[t] + " but "
            + imageEmbeddings + " has " + images.length + " rows");
      }
    }
    RetrievalMetrics m = Retrieval.evaluate(images, texts, owner);
    print(spec.commandLine().getOut(), m, output.json());
    return 0;
  }

  private Integer endToEnd() throws Exception {
    if (imageEmbeddings != null || textEmbeddings != null || textToImage != null) {
      throw new IllegalArgumentException("--dataset encodes images and captions itself: drop the embedding files");
    }
    CaptionDataset all = Datasets.captions(dataset);
    CaptionDataset part = split.equals("all") ? all : all.split(split);
    if (part.images().isEmpty()) {
      throw new DataFormatException(dataset + ": no images in split '" + split + "' (splits present: "
          + all.images().stream().map(i -> i.split()).distinct().sorted().toList() + ")");
    }
    RetrievalMetrics m;
    String modelId;
    try (ModelSession session = ModelSession.open(model, cache, spec)) {
      m = EncoderEvaluations.retrieval(session.encoder(), part, ConsoleProgress.stderr());
      modelId = session.modelId();
      session.report();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("protocol", "retrieval");
      r.put("unit", "percent");
      r.put("model", modelId);
      r.put("dataset", dataset.toString());
      r.put("split", split);
      r.putAll(m.summary());
      OutputOptions.printJson(out, r);
    } else {
      out.printf("%s [%s]%n", dataset, split);
      print(out, m, false);
    }
    return 0;
  }

  static void print(PrintWriter out, RetrievalMetrics m, boolean json) {
    if (json) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("protocol", "retrieval");
      r.put("unit", "percent");
      r.putAll(m.summary());
      OutputOptions.printJson(out, r);
      return;
    }
    out.printf("retrieval: %d images, %d captions%n", m.images(), m.texts());
    out.printf("  %-14s %7s %7s %7s%n", "", "R@1", "R@5", "R@10");
    out.printf("  %-14s %7.2f %7.2f %7.2f%n", "image -> text", m.i2tR1(), m.i2tR5(), m.i2tR10());
    out.printf("  %-14s %7.2f %7.2f %7.2f%n", "text -> image", m.t2iR1(), m.t2iR5(), m.t2iR10());
    out.printf("  %-14s %7.2f%n", "mean recall", m.meanRecall());
    out.flush();
  }
}

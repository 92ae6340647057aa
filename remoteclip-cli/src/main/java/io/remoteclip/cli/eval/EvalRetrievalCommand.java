package io.remoteclip.cli.eval;

import io.remoteclip.eval.RetrievalMetrics;
import io.remoteclip.eval.protocol.EmbeddingFiles;
import io.remoteclip.eval.protocol.RetrievalRequest;
import io.remoteclip.eval.protocol.RetrievalResult;
import java.io.PrintWriter;
import java.nio.file.Path;
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
  @Mixin io.remoteclip.cli.common.ModelOptions model;
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
    RetrievalRequest request;
    if (dataset != null) {
      if (imageEmbeddings != null || textEmbeddings != null || textToImage != null) {
        throw EvalInputs.usage(spec, "--dataset encodes images and captions itself: drop the embedding files");
      }
      request = RetrievalRequest.of(dataset, split);
    } else {
      EvalInputs.rejectModelOptions(spec);
      if (imageEmbeddings == null || textEmbeddings == null || textToImage == null) {
        throw EvalInputs.usage(spec, "give --dataset (with --model), or --image-embeddings, --text-embeddings "
            + "and --text-to-image");
      }
      request = EmbeddingFiles.retrieval(imageEmbeddings, textEmbeddings, textToImage);
    }
    ModelSession.Ran ran = ModelSession.run(request, model, cache, spec);
    RetrievalResult r = (RetrievalResult) ran.result();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, r, dataset == null ? OutputOptions.context()
          : OutputOptions.context("model", ran.modelId(), "dataset", dataset, "split", split));
      return 0;
    }
    if (dataset != null) {
      out.printf("%s [%s]%n", dataset, split);
    }
    RetrievalMetrics m = r.metrics();
    out.printf("retrieval: %d images, %d captions%n", m.images(), m.texts());
    out.printf("  %-14s %7s %7s %7s%n", "", "R@1", "R@5", "R@10");
    out.printf("  %-14s %7.2f %7.2f %7.2f%n", "image -> text", m.i2tR1(), m.i2tR5(), m.i2tR10());
    out.printf("  %-14s %7.2f %7.2f %7.2f%n", "text -> image", m.t2iR1(), m.t2iR5(), m.t2iR10());
    out.printf("  %-14s %7.2f%n", "mean recall", m.meanRecall());
    out.flush();
    return 0;
  }
}

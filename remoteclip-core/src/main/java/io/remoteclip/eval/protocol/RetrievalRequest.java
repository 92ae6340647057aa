package io.remoteclip.eval.protocol;

import io.remoteclip.DataFormatException;
import io.remoteclip.dataset.CaptionDataset;
import io.remoteclip.dataset.Datasets;
import java.io.IOException;
import java.nio.file.Path;

/** Image–text retrieval (RemoteCLIP's {@code retrieval.py}): embeddings, or a caption split to encode. */
public record RetrievalRequest(Input input) implements EvalRequest {
  public sealed interface Input permits Embeddings, Captions {}

  /** Gallery images [images, D], captions [texts, D] and the image row of each caption. */
  public record Embeddings(float[][] images, float[][] texts, int[] textToImage) implements Input {}

  /** The images and captions of a caption data set (captions are {@code capitalize()}d before encoding). */
  public record Captions(CaptionDataset split) implements Input {}

  /**
   * The images of {@code split} ({@code "all"}: every image) of a Karpathy-style caption JSON.
   *
   * @throws DataFormatException when the split has no images (naming the splits present)
   */
  public static RetrievalRequest of(Path captionJson, String split) throws IOException, DataFormatException {
    CaptionDataset all = Datasets.captions(captionJson);
    CaptionDataset part = split.equals("all") ? all : all.split(split);
    if (part.images().isEmpty()) {
      throw new DataFormatException(captionJson + ": no images in split '" + split + "' (splits present: "
          + all.images().stream().map(i -> i.split()).distinct().sorted().toList() + ")");
    }
    return new RetrievalRequest(new Captions(part));
  }

  @Override
  public Protocol protocol() {
    return Protocol.RETRIEVAL;
  }

  @Override
  public boolean needsEncoder() {
    return input instanceof Captions;
  }
}

package io.remoteclip.eval;

import io.remoteclip.encode.Encoder;
import io.remoteclip.encode.CachedEncoder;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.dataset.CaptionDataset;
import io.remoteclip.dataset.CaptionedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end protocols: data set + {@link Encoder} → metrics. Everything here only encodes and then calls
 * the embedding-level protocols; wrap the encoder in a {@link CachedEncoder} to avoid re-encoding.
 */
public final class EncoderEvaluations {
  private EncoderEvaluations() {}

  /** Per-template class embeddings [templates][classes, D] (raw, as the encoder returns them). */
  public static List<float[][]> templateEmbeddings(Encoder encoder, List<String> readableClasses,
      List<String> templates, ProgressListener progress) throws IOException, RemoteClipException {
    List<String> texts = new ArrayList<>();
    for (String t : templates) {
      for (String c : readableClasses) {
        texts.add(PromptTemplates.fill(t, c));
      }
    }
    float[][] all = encoder.encodeTexts(texts, progress);
    List<float[][]> out = new ArrayList<>();
    int n = readableClasses.size();
    for (int t = 0; t < templates.size(); t++) {
      out.add(java.util.Arrays.copyOfRange(all, t * n, (t + 1) * n));
    }
    return out;
  }

  /**
   * RemoteCLIP's retrieval protocol on a caption split: captions are {@link Captions#capitalize}d;
   * records sharing a file name are merged into one gallery image (as the reference's de-duplication).
   */
  public static RetrievalMetrics retrieval(Encoder encoder, CaptionDataset split, ProgressListener progress)
      throws IOException, RemoteClipException {
    Map<Path, List<String>> byImage = new LinkedHashMap<>();
    for (CaptionedImage im : split.images()) {
      byImage.computeIfAbsent(im.path(), p -> new ArrayList<>()).addAll(im.captions());
    }
    List<Path> paths = new ArrayList<>(byImage.keySet());
    List<String> captions = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      for (String c : byImage.get(paths.get(i))) {
        captions.add(Captions.capitalize(c));
        owner.add(i);
      }
    }
    float[][] images = encoder.encodeImages(paths, progress);
    float[][] texts = encoder.encodeTexts(captions, progress);
    return Retrieval.evaluate(images, texts, owner.stream().mapToInt(Integer::intValue).toArray());
  }

  public static CountingMetrics counting(Encoder encoder, List<CountingItem> items, CountingCaptions captions,
      ProgressListener progress) throws IOException, RemoteClipException {
    float[][] images = encoder.encodeImages(items.stream().map(CountingItem::image).toList(), progress);
    // Items of one category share their ten captions: encode each distinct caption once.
    List<String> all = captions.captions(items);
    List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(all));
    float[][] enc = encoder.encodeTexts(distinct, progress);
    Map<String, float[]> byText = new java.util.HashMap<>();
    for (int i = 0; i < distinct.size(); i++) {
      byText.put(distinct.get(i), enc[i]);
    }
    float[][] rows = new float[all.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = byText.get(all.get(i));
    }
    return Counting.evaluate(images, rows, items.stream().mapToInt(CountingItem::count).toArray());
  }
}

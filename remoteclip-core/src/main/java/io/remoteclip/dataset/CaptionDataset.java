package io.remoteclip.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Images with several captions each, in file order (Karpathy-style caption sets: RSICD, RSITMD, UCM). */
public record CaptionDataset(List<CaptionedImage> images) {
  public CaptionDataset {
    images = List.copyOf(images);
  }

  /** The images of one split ({@code "train"}, {@code "val"}, {@code "test"}), in file order. */
  public CaptionDataset split(String split) {
    return new CaptionDataset(images.stream().filter(i -> i.split().equals(split)).toList());
  }

  public List<Path> imagePaths() {
    return images.stream().map(CaptionedImage::path).toList();
  }

  public int captionCount() {
    return images.stream().mapToInt(i -> i.captions().size()).sum();
  }

  /** All captions, image after image. */
  public List<String> captions() {
    List<String> out = new ArrayList<>();
    images.forEach(i -> out.addAll(i.captions()));
    return out;
  }

  /** For each caption of {@link #captions()}, the index of its image. */
  public int[] captionToImage() {
    int[] m = new int[captionCount()];
    int t = 0;
    for (int i = 0; i < images.size(); i++) {
      for (int j = 0; j < images.get(i).captions().size(); j++) {
        m[t++] = i;
      }
    }
    return m;
  }
}

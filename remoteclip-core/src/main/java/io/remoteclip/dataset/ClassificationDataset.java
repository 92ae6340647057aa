package io.remoteclip.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images of a scene-classification set. {@code classes} holds the class identifiers as found
 * on disk (folder names or CSV labels) in index order; {@code labels[i]} indexes it; {@code splits} is
 * {@code null} when the source has no split column.
 */
public record ClassificationDataset(List<Path> images, int[] labels, List<String> classes, List<String> splits) {
  public ClassificationDataset {
    images = List.copyOf(images);
    classes = List.copyOf(classes);
    splits = splits == null ? null : List.copyOf(splits);
    Objects.requireNonNull(labels, "labels");
    if (labels.length != images.size() || (splits != null && splits.size() != images.size())) {
      throw new IllegalArgumentException("images=" + images.size() + " labels=" + labels.length
          + " splits=" + (splits == null ? "none" : splits.size()));
    }
  }

  public int size() {
    return images.size();
  }

  public boolean hasSplits() {
    return splits != null;
  }

  /** The images whose split equals {@code split}, with the same class list. */
  public ClassificationDataset split(String split) {
    if (splits == null) {
      throw new IllegalStateException("data set has no split column");
    }
    List<Path> im = new ArrayList<>();
    List<String> sp = new ArrayList<>();
    int[] lab = new int[images.size()];
    int n = 0;
    for (int i = 0; i < images.size(); i++) {
      if (splits.get(i).equals(split)) {
        im.add(images.get(i));
        sp.add(split);
        lab[n++] = labels[i];
      }
    }
    return new ClassificationDataset(im, java.util.Arrays.copyOf(lab, n), classes, sp);
  }

  /** Number of images of each class. */
  public int[] classCounts() {
    int[] c = new int[classes.size()];
    for (int l : labels) {
      c[l]++;
    }
    return c;
  }
}

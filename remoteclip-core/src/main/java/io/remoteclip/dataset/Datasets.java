package io.remoteclip.dataset;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens a data set from the one path a user gives: a folder (one sub-folder per class), a
 * {@code filename,label[,split]} CSV file or a Karpathy caption JSON, and attaches train/test splits
 * kept in another file (UC Merced's live in {@code dataset_ucm.json}, its labels in {@code labels.csv}).
 */
public final class Datasets {
  private Datasets() {}

  /** Labelled images from a class-folder root or a label CSV; a caption JSON is refused (it has no labels). */
  public static ClassificationDataset classification(Path path) throws IOException, DataFormatException {
    requireExists(path);
    if (Files.isDirectory(path)) {
      return ImageFolders.load(path);
    }
    if (isJson(path)) {
      throw new DataFormatException(path + ": a caption JSON has no class labels; give a class-folder root or a "
          + "filename,label[,split] CSV (this JSON can still supply the train/test splits of those)");
    }
    return LabelCsv.load(path);
  }

  /** Captioned images from a Karpathy-style JSON (the only caption format). */
  public static CaptionDataset captions(Path path) throws IOException, DataFormatException {
    requireExists(path);
    if (Files.isDirectory(path) || !isJson(path)) {
      throw new DataFormatException(path + ": retrieval needs a Karpathy-style caption JSON (dataset_rsicd.json, "
          + "dataset_ucm.json), not a folder or CSV");
    }
    return KarpathyCaptions.load(path);
  }

  /**
   * {@code data} with the split of every image taken from {@code source}: a Karpathy JSON or a CSV with a
   * split column. Images are matched by path, else by file name when that is unique in the source; an
   * image the source does not list is an error (silently dropping it would change the benchmark).
   */
  public static ClassificationDataset withSplitsFrom(ClassificationDataset data, Path source)
      throws IOException, DataFormatException {
    requireExists(source);
    Map<Path, String> byPath = new HashMap<>();
    Map<String, String> byName = new HashMap<>();
    Map<String, Integer> nameCount = new HashMap<>();
    if (isJson(source)) {
      for (CaptionedImage im : KarpathyCaptions.load(source).images()) {
        put(byPath, byName, nameCount, im.path(), im.split());
      }
    } else {
      ClassificationDataset csv = LabelCsv.load(source);
      if (!csv.hasSplits()) {
        throw new DataFormatException(source + ": no split column (expected filename,label,split)");
      }
      for (int i = 0; i < csv.size(); i++) {
        put(byPath, byName, nameCount, csv.images().get(i), csv.splits().get(i));
      }
    }
    List<String> splits = new ArrayList<>(data.size());
    for (Path image : data.images()) {
      String split = byPath.get(key(image));
      String name = image.getFileName().toString();
      if (split == null && nameCount.getOrDefault(name, 0) == 1) {
        split = byName.get(name);
      }
      if (split == null) {
        throw new DataFormatException(source + ": has no split for " + image
            + (nameCount.getOrDefault(name, 0) > 1 ? " (its file name is listed more than once)" : ""));
      }
      splits.add(split);
    }
    return new ClassificationDataset(data.images(), data.labels(), data.classes(), splits);
  }

  private static void put(Map<Path, String> byPath, Map<String, String> byName, Map<String, Integer> nameCount,
      Path image, String split) {
    byPath.put(key(image), split);
    String name = image.getFileName().toString();
    byName.put(name, split);
    nameCount.merge(name, 1, Integer::sum);
  }

  private static Path key(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private static boolean isJson(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  private static void requireExists(Path p) throws NoSuchFileException {
    if (!Files.exists(p)) {
      throw new NoSuchFileException(p.toString());
    }
  }
}

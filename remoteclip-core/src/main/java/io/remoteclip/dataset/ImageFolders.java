package io.remoteclip.dataset;

import io.remoteclip.image.ImageFiles;
import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads a data set laid out as {@code root/<class>/.../<image>} (torchvision {@code ImageFolder}): classes
 * are the sub-folders in sorted order, images are the files below each (recursively) with an image
 * extension, sorted by path.
 */
public final class ImageFolders {
  private ImageFolders() {}

  public static ClassificationDataset load(Path root) throws IOException, DataFormatException {
    if (!Files.isDirectory(root)) {
      throw new java.nio.file.NoSuchFileException(root.toString());
    }
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(root)) {
      classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
    if (classDirs.isEmpty()) {
      throw new DataFormatException(root + ": no class sub-folders (expected root/<class>/<image>)");
    }
    List<Path> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (Path dir : classDirs) {
      int label = classes.size();
      classes.add(dir.getFileName().toString());
      List<Path> files;
      files = ImageFiles.list(dir, null);
      if (files.isEmpty()) {
        throw new DataFormatException(dir + ": class folder holds no images");
      }
      for (Path f : files) {
        images.add(f);
        labels.add(label);
      }
    }
    return new ClassificationDataset(images, labels.stream().mapToInt(Integer::intValue).toArray(), classes, null);
  }

}

package io.remoteclip.image;

import io.remoteclip.DataFormatException;
import io.remoteclip.fs.InputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which files count as images (the formats {@link ImageDecoder} reads) and how directories of them are
 * listed: recursively, in order of relative path, so that row orders of embedding files and indexes are
 * reproducible across machines.
 */
public final class ImageFiles {
  /** File extensions (lower case) of the formats the decoder reads. */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "tif", "tiff", "bmp");

  /** Suffixes tried, in order, when an annotation names an image without its extension ({@link #locate}). */
  public static final List<String> LOOKUP_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp");

  private ImageFiles() {}

  /** The image file {@code dir/name}, trying {@link #LOOKUP_SUFFIXES} when {@code name} has none that exists. */
  public static Path locate(Path dir, String name) {
    Path direct = dir.resolve(name);
    if (Files.isRegularFile(direct)) {
      return direct;
    }
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    for (String ext : LOOKUP_SUFFIXES) {
      for (String e : new String[] {ext, ext.toUpperCase(Locale.ROOT)}) {
        Path p = dir.resolve(stem + e);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return direct;
  }

  public static boolean isImage(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** Image files under {@code root}, recursively, sorted by relative path, leaving out {@code exclude} (nullable). */
  public static List<Path> list(Path root, Path exclude) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> exclude == null || !p.startsWith(exclude))
          .filter(Files::isRegularFile).filter(ImageFiles::isImage)
          .sorted((a, b) -> root.relativize(a).toString().compareTo(root.relativize(b).toString()))
          .toList();
    }
  }

  /**
   * As {@link #list}, refusing a folder without images: an empty or mistyped (unmounted) folder is a mistake,
   * not a data set of nothing (an index that mirrors it would lose every document).
   */
  public static List<Path> listSome(Path root, Path exclude) throws IOException, DataFormatException {
    return some(list(root, exclude), root.toString());
  }

  /** As {@link #expand}, refusing arguments that name no image at all (empty folders). */
  public static List<Path> expandSome(List<Path> args) throws IOException, DataFormatException {
    return some(expand(args), args.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")));
  }

  private static List<Path> some(List<Path> files, String where) throws DataFormatException {
    if (files.isEmpty()) {
      throw new DataFormatException(where + ": no image files (" + String.join(", ", new java.util.TreeSet<>(EXTENSIONS)) + ")");
    }
    return files;
  }

  /** Command-line style arguments: files taken as given (whatever their extension), directories listed. */
  public static List<Path> expand(List<Path> args) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        out.addAll(list(arg, null));
      } else {
        out.add(InputFiles.requireRegular(arg)); // a FIFO would block the reader forever
      }
    }
    return out;
  }
}

package io.remoteclip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands image arguments: files are taken as given, directories are walked recursively and their image
 * files listed in order of relative path (so the row order of an embedding file is reproducible).
 */
final class InputFiles {
  static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "tif", "tiff", "bmp");

  private InputFiles() {}

  static List<Path> images(List<Path> args) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        try (Stream<Path> walk = Files.walk(arg)) {
          walk.filter(Files::isRegularFile).filter(InputFiles::isImage)
              .sorted((a, b) -> arg.relativize(a).toString().compareTo(arg.relativize(b).toString()))
              .forEach(out::add);
        }
      } else if (Files.exists(arg)) {
        out.add(arg);
      } else {
        throw new NoSuchFileException(arg.toString());
      }
    }
    return out;
  }

  static boolean isImage(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}

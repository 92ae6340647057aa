package io.remoteclip.data.dedup;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Hashes of the images a training set must not contain (test sets). Each path is a directory (every image
 * file below it, recursively) or a {@code hashes.tsv} written by a caption build ({@code path<TAB>hex}).
 */
public final class ReferenceImages {
  private ReferenceImages() {}

  /** One hashed reference image. */
  public record Entry(String path, long hash) {}

  /** Hashes of all reference images; files that cannot be decoded are named in {@code problems}. */
  public static List<Entry> load(List<Path> paths, ProgressListener progress, List<String> problems) throws IOException, DataFormatException {
    List<Entry> out = new ArrayList<>();
    List<Path> images = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(f -> Files.isRegularFile(f) && ImageFiles.isImage(f)).sorted().forEach(images::add);
        }
      } else if (Files.isRegularFile(p) && p.toString().endsWith(".tsv")) {
        out.addAll(readTsv(p));
      } else if (Files.isRegularFile(p) && ImageFiles.isImage(p)) {
        images.add(p);
      } else {
        throw new NoSuchFileException(p + " (reference: a directory of images, an image or a hashes.tsv)");
      }
    }
    if (images.isEmpty()) {
      return out;
    }
    progress.start("hashing reference images", images.size());
    int done = 0;
    for (Path img : images) {
      try {
        out.add(new Entry(img.toString(), PerceptualHash.of(img)));
      } catch (DataFormatException e) {
        problems.add(e.getMessage());
      }
      progress.update(++done);
    }
    progress.finish();
    return out;
  }


  static List<Entry> readTsv(Path file) throws IOException, DataFormatException {
    List<Entry> out = new ArrayList<>();
    List<String> lines = InputFiles.readLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || (i == 0 && line.startsWith("filepath\t"))) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 2 || !f[1].matches("[0-9a-fA-F]{16}")) {
        throw DataFormatException.at(file, i + 1, "expected 'path<TAB>16 hex digits'");
      }
      out.add(new Entry(f[0], Long.parseUnsignedLong(f[1], 16)));
    }
    return out;
  }
}

package io.remoteclip.train;

import io.remoteclip.DataFormatException;
import io.remoteclip.dataset.CaptionDataset;
import io.remoteclip.dataset.CaptionedImage;
import io.remoteclip.dataset.KarpathyCaptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training images with their captions: from an open_clip/ITRA {@code captions.csv} ({@code filepath<TAB>title}
 * with a header row; paths absolute or relative to the CSV; rows of one image grouped) or from a
 * Karpathy-style caption JSON (one split). Only paths and strings are held, so sets larger than memory
 * in pixels are fine.
 */
public record TrainingSet(List<Item> items) {
  /** One image and all its captions. */
  public record Item(Path image, List<String> captions) {}

  public int captionCount() {
    return items.stream().mapToInt(i -> i.captions().size()).sum();
  }

  /** Several sources in order, one set (e.g. converted detection captions plus a caption data set). */
  public static TrainingSet load(List<Path> files, String split) throws IOException, DataFormatException {
    List<Item> all = new ArrayList<>();
    for (Path f : files) {
      all.addAll(load(f, split).items());
    }
    return new TrainingSet(all);
  }

  /** Reads {@code file} by its kind: {@code .json} → Karpathy (split {@code split}), otherwise captions.csv. */
  public static TrainingSet load(Path file, String split) throws IOException, DataFormatException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? fromKarpathy(file, split)
        : fromCaptionsCsv(file);
  }

  public static TrainingSet fromKarpathy(Path json, String split) throws IOException, DataFormatException {
    CaptionDataset all = KarpathyCaptions.load(json);
    CaptionDataset part = split == null ? all : all.split(split);
    if (part.images().isEmpty()) {
      throw new DataFormatException(json + ": no images in split '" + split + "'");
    }
    List<Item> items = new ArrayList<>();
    for (CaptionedImage img : part.images()) {
      items.add(new Item(img.path(), img.captions()));
    }
    return new TrainingSet(items);
  }

  public static TrainingSet fromCaptionsCsv(Path csv) throws IOException, DataFormatException {
    Path base = csv.toAbsolutePath().getParent();
    Map<Path, List<String>> grouped = new LinkedHashMap<>();
    try (BufferedReader r = Files.newBufferedReader(io.remoteclip.fs.InputFiles.requireRegular(csv), StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        throw new DataFormatException(csv + ": empty file (expected a header 'filepath<TAB>title')");
      }
      String[] cols = header.replace("\uFEFF", "").split("\t", -1);
      int pathCol = indexOf(cols, "filepath");
      int titleCol = indexOf(cols, "title");
      if (pathCol < 0 || titleCol < 0) {
        throw DataFormatException.at(csv, 1, "header must name the columns 'filepath' and 'title' separated by a tab, got '"
            + header + "'");
      }
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length <= Math.max(pathCol, titleCol)) {
          throw DataFormatException.at(csv, lineNo, "expected " + cols.length + " tab-separated columns, got " + f.length);
        }
        String title = f[titleCol].trim();
        if (title.isEmpty()) {
          throw DataFormatException.at(csv, lineNo, "empty caption");
        }
        Path image = base.resolve(f[pathCol].trim()).normalize();
        grouped.computeIfAbsent(image, k -> new ArrayList<>()).add(title);
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new java.io.CharConversionException(csv + ": not UTF-8 text; save the file as UTF-8");
    }
    if (grouped.isEmpty()) {
      throw new DataFormatException(csv + ": no caption rows");
    }
    List<Item> items = new ArrayList<>();
    grouped.forEach((p, c) -> items.add(new Item(p, List.copyOf(c))));
    return new TrainingSet(items);
  }

  private static int indexOf(String[] cols, String name) {
    for (int i = 0; i < cols.length; i++) {
      if (cols[i].trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}

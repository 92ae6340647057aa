package io.remoteclip.data.counting;

import io.remoteclip.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.image.BufferedImages;
import io.remoteclip.data.annotation.AnnotatedImage;
import io.remoteclip.data.annotation.AnnotationIssue;
import io.remoteclip.data.annotation.Annotations;
import io.remoteclip.data.annotation.ObjectNames;
import io.remoteclip.data.annotation.ClassTable;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.build.ImageUnit;
import io.remoteclip.data.build.ImageUnits;
import io.remoteclip.data.build.SourceSpec;
import io.remoteclip.fs.StagingDirectory;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Builds a RemoteCount-style counting benchmark from detection annotations: images (or tiles) paired with
 * one object category and its count, 1–10.
 *
 * <p>Rules (RemoteCount labels one category per image and does not require the others to be absent):
 * <ul>
 *   <li>A category is eligible in an image/tile when it has 1..{@code maxCount} instances, none of them
 *       marked difficult, and (tiles) no instance of it is cut by the tile border below the inside
 *       threshold — a half-visible object would make the true count ambiguous.
 *   <li>Each image/tile yields at most one item; among its eligible categories one is drawn with
 *       {@code java.util.Random(seed ^ hash(image path))}. With {@code exclusive}, only images whose counted
 *       objects all belong to one category are used.
 *   <li>Stuff classes are never counted.
 * </ul>
 * Output: {@code items.jsonl} lines {@code {"image": "images/<source>/<file>", "category": "<singular>",
 * "plural": "<plural>", "count": N}} (image path relative to items.jsonl), the images (untiled images copied,
 * tiles written as PNG/JPEG) and {@code report.md}; built in a hidden sibling and renamed when complete.
 */
public final class CountingSetBuilder {
  private static final ObjectMapper JSON = Json.mapper();

  /** What was built. */
  public record Result(int items, Map<String, int[]> histogram, List<AnnotationIssue> issues, boolean committed) {}

  private final long seed;
  private final int maxCount;
  private final boolean exclusive;
  private final boolean overwrite;
  private final ProgressListener progress;

  public CountingSetBuilder(long seed, int maxCount, boolean exclusive, boolean overwrite, ProgressListener progress) {
    if (maxCount < 1) {
      throw new IllegalArgumentException("maximum count must be at least 1, got " + maxCount);
    }
    this.seed = seed;
    this.maxCount = maxCount;
    this.exclusive = exclusive;
    this.overwrite = overwrite;
    this.progress = progress;
  }

  public Result build(SourceSpec spec, Path out) throws IOException, DataFormatException {
    Annotations ann = spec.format().reader(spec.minArea()).read(spec.annotations(), spec.images(), spec.classes());
    requireOneAnnotationPerImage(ann);
    Map<String, String> plurals = new HashMap<>();
    for (ClassTable.Entry e : spec.classes().entries().values()) {
      plurals.put(e.name(), e.plural());
    }
    Map<String, int[]> histogram = new TreeMap<>();
    StringBuilder jsonl = new StringBuilder();
    int[] items = {0};
    try (StagingDirectory staging = StagingDirectory.create(out, overwrite, "counting-set")) {
      try {
        Path root = staging.path();
        progress.start("counting set " + spec.name(), ann.images().size());
        int done = 0;
        for (AnnotatedImage raw : ann.images()) {
          AnnotatedImage img = ImageUnits.validate(raw, ann);
          if (img != null && img.countedObjects() > 0) {
            try {
              ImageUnits.split(spec, img, ann, unit -> {
                try {
                  String category = choose(unit);
                  if (category != null) {
                    int n = (int) unit.objects().stream().filter(o -> o.counted() && o.className().equals(category)).count();
                    String rel = "images/" + unit.outputName(spec.tileFormat());
                    write(unit, root.resolve(rel), spec.tileFormat());
                    ObjectNode node = JSON.createObjectNode();
                    node.put("image", rel);
                    node.put("category", category);
                    node.put("plural", plurals.getOrDefault(category, ObjectNames.plural(category)));
                    node.put("count", n);
                    jsonl.append(JSON.writeValueAsString(node)).append('\n');
                    histogram.computeIfAbsent(category, k -> new int[maxCount + 1])[n]++;
                    items[0]++;
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
            } catch (UncheckedIOException e) {
              throw e.getCause();
            }
          }
          progress.update(++done);
        }
        progress.finish();
        if (items[0] == 0) {
          return new Result(0, histogram, ann.issues(), false);
        }
        AtomicFiles.writeString(root.resolve("items.jsonl"), jsonl.toString());
        AtomicFiles.writeString(root.resolve("report.md"), report(spec, items[0], histogram, ann.issues()));
        staging.commit();
      } catch (IOException e) {
        throw staging.named(e); // a full disk names the output, not its staging copy
      }
    }
    return new Result(items[0], histogram, ann.issues(), true);
  }

  /** Two annotations of one image would write its items twice (and fail on the second copy): refused up front. */
  private static void requireOneAnnotationPerImage(Annotations ann) throws DataFormatException {
    Map<String, Path> annotatedBy = new HashMap<>();
    for (AnnotatedImage img : ann.images()) {
      Path first = annotatedBy.putIfAbsent(img.location().source(), img.annotationFile());
      if (first != null) {
        throw new DataFormatException(first.equals(img.annotationFile())
            ? first + ": annotates image " + img.location() + " twice"
            : img.annotationFile() + ": annotates image " + img.location() + ", as " + first
                + " does; keep one of the two annotation files");
      }
    }
  }

  /** The category this unit is labelled with, or null when none is eligible. */
  String choose(ImageUnit unit) {
    Map<String, Integer> counts = new TreeMap<>();
    java.util.Set<String> ambiguous = new java.util.HashSet<>();
    for (LabeledObject o : unit.objects()) {
      if (o.counted()) {
        counts.merge(o.className(), 1, Integer::sum);
        if (o.difficult()) {
          ambiguous.add(o.className());
        }
      }
    }
    for (LabeledObject o : unit.cut()) {
      ambiguous.add(o.className());
    }
    if (exclusive && counts.size() != 1) {
      return null;
    }
    List<String> eligible = new ArrayList<>();
    counts.forEach((c, n) -> {
      if (n >= 1 && n <= maxCount && !ambiguous.contains(c)) {
        eligible.add(c);
      }
    });
    if (eligible.isEmpty()) {
      return null;
    }
    String key = unit.outputName("png");
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return eligible.get(new Random(seed ^ h).nextInt(eligible.size()));
  }

  private static void write(ImageUnit unit, Path target, String format) throws IOException {
    Files.createDirectories(target.getParent());
    if (unit.pixels() != null) {
      try (OutputStream o = Files.newOutputStream(target)) {
        BufferedImages.write(unit.pixels(), format, o);
      }
    } else {
      io.remoteclip.data.build.SourceImages.copy(unit.image().location(), target);
    }
  }

  private String report(SourceSpec spec, int items, Map<String, int[]> histogram, List<AnnotationIssue> issues) {
    StringBuilder md = new StringBuilder("# Counting benchmark report\n\n");
    md.append(String.format("Source %s (%s), %d items, counts 1..%d, seed %d%s.%n%n", spec.name(),
        spec.format().cliName(), items, maxCount, seed, exclusive ? ", single-category images only" : ""));
    md.append("| category |");
    for (int n = 1; n <= maxCount; n++) {
      md.append(' ').append(n).append(" |");
    }
    md.append(" total |\n|---|").append("---|".repeat(maxCount + 1)).append('\n');
    histogram.forEach((c, h) -> {
      md.append("| ").append(c).append(" |");
      int total = 0;
      for (int n = 1; n <= maxCount; n++) {
        md.append(' ').append(h[n]).append(" |");
        total += h[n];
      }
      md.append(' ').append(total).append(" |\n");
    });
    md.append("\n## Input problems\n\n");
    if (issues.isEmpty()) {
      md.append("None.\n");
    }
    for (AnnotationIssue i : issues) {
      md.append("- `").append(i.toString().replace("`", "'")).append("`\n");
    }
    return md.toString();
  }
}

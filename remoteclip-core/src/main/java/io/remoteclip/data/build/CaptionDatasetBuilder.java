package io.remoteclip.data.build;

import io.remoteclip.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.image.BufferedImages;
import io.remoteclip.data.annotation.AnnotatedImage;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import io.remoteclip.data.annotation.Annotations;
import io.remoteclip.data.annotation.ClassTable;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.caption.BoxToCaption;
import io.remoteclip.data.caption.Caption;
import io.remoteclip.data.dedup.HashIndex;
import io.remoteclip.data.dedup.PerceptualHash;
import io.remoteclip.data.dedup.ReferenceImages;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.fs.StagingDirectory;
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

/**
 * Converts annotated sources into one image–caption training set (SPEC §5).
 *
 * <p>Output directory:
 * <ul>
 *   <li>{@code images/<source>/…}: untiled images are <em>copied</em> byte for byte (the data set is
 *       self-contained and survives moving or deleting the sources); tiles are written as PNG (or JPEG).
 *       Only images with at least one counted object are written.
 *   <li>{@code captions.csv}: header {@code filepath\ttitle}, then one row per caption; paths are relative
 *       to the data set directory (or absolute with {@link Options#absolutePaths}).
 *   <li>{@code captions.jsonl}: one JSON object per caption: source, image, origin image, tile, size,
 *       caption index and kind, text, stated counts and the boxes used.
 *   <li>{@code hashes.tsv}: {@code filepath\tphash} of every image (reusable as a dedup reference); only
 *       when deduplication is on.
 *   <li>{@code report.md}: totals per source and class, dropped near-duplicates, input problems.
 * </ul>
 * The directory is built in a hidden sibling and renamed at the end ({@link StagingDirectory}); when no
 * image is usable nothing is written and {@link BuildReport#committed()} is false.
 *
 * <p>Deduplication: each output image is hashed ({@link PerceptualHash}); an image within the threshold of
 * a reference image is dropped, and so is one within the threshold of an image already kept (the first in
 * build order — sources in the given order, images in annotation order — wins).
 */
public final class CaptionDatasetBuilder {
  private static final ObjectMapper JSON = Json.mapper();

  /**
   * @param seed seed of caption choices
   * @param central size of the central region (fraction of each axis) for location captions
   * @param dedupThreshold maximum pHash Hamming distance of near-duplicates, -1 = no deduplication
   * @param references test-set images (directories or hashes.tsv) the output must not resemble
   */
  public record Options(long seed, double central, int dedupThreshold, List<Path> references, boolean overwrite,
      boolean absolutePaths) {
    public static Options defaults() {
      return new Options(0, 1.0 / 3, 4, List.of(), false, false);
    }
  }

  private record Item(String source, String path, String origin, int[] tile, int width, int height,
      List<Caption> captions, long hash) {}

  private final Options options;
  private final ProgressListener progress;

  public CaptionDatasetBuilder(Options options, ProgressListener progress) {
    this.options = options;
    this.progress = progress;
  }

  public BuildReport build(List<SourceSpec> sources, Path out) throws IOException, DataFormatException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no sources to convert");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (SourceSpec s : sources) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("source name '" + s.name() + "' used twice; give each source its own name");
      }
    }
    if (options.overwrite()) {
      StagingDirectory.requireReplaceable(out.toAbsolutePath().normalize(), "captions"); // before the work, not after
    }
    BuildReport report = new BuildReport();
    report.dedupThreshold = options.dedupThreshold();
    HashIndex<String> refIndex = null, kept = null;
    if (options.dedupThreshold() >= 0) {
      kept = new HashIndex<>(options.dedupThreshold());
      refIndex = new HashIndex<>(options.dedupThreshold());
      List<String> problems = new ArrayList<>();
      for (ReferenceImages.Entry e : ReferenceImages.load(options.references(), progress, problems)) {
        refIndex.add(e.hash(), e.path());
      }
      report.referenceImages = refIndex.size();
      for (String p : problems) {
        report.issues(List.of(new io.remoteclip.data.annotation.AnnotationIssue(Path.of("(reference)"), 0, p,
            Action.SKIPPED_FILE)));
      }
    }
    try (StagingDirectory staging = StagingDirectory.create(out, options.overwrite(), "captions")) {
      try {
        Path root = staging.path();
        List<Item> items = new ArrayList<>();
        for (SourceSpec spec : sources) {
          convert(spec, root, report, items, refIndex, kept);
        }
        report.images = items.size();
        report.captions = items.stream().mapToInt(i -> i.captions.size()).sum();
        if (items.isEmpty()) {
          return report;
        }
        Path base = options.absolutePaths() ? staging.target() : null;
        writeCsv(root.resolve("captions.csv"), items, base);
        writeJsonl(root.resolve("captions.jsonl"), items);
        if (options.dedupThreshold() >= 0) {
          writeHashes(root.resolve("hashes.tsv"), items);
        }
        AtomicFiles.writeString(root.resolve("report.md"), report.markdown());
        staging.commit();
        report.committed = true;
        return report;
      } catch (IOException e) {
        throw staging.named(e); // a full disk names the output, not its staging copy
      }
    }
  }

  private static void writeHashes(Path file, List<Item> items) throws IOException {
    AtomicFiles.write(file, o -> {
      StringBuilder sb = new StringBuilder("filepath\tphash\n");
      for (Item it : items) {
        sb.append(it.path).append('\t').append(PerceptualHash.hex(it.hash)).append('\n');
      }
      o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    });
  }

  private void convert(SourceSpec spec, Path root, BuildReport report, List<Item> items, HashIndex<String> refIndex,
      HashIndex<String> kept) throws IOException, DataFormatException {
    BuildReport.SourceStats stats = report.source(spec.name(), spec.format().cliName());
    Annotations ann;
    try {
      ann = spec.format().reader(spec.minArea()).read(spec.annotations(), spec.images(), spec.classes());
    } catch (DataFormatException e) {
      // One unreadable source (a broken COCO file) must not sink the others of a manifest.
      report.issues(List.of(new io.remoteclip.data.annotation.AnnotationIssue(spec.annotations(), 0,
          e.getMessage().replace(spec.annotations() + ":", "").trim(), Action.SKIPPED_FILE)));
      return;
    }
    Map<String, String> plurals = new HashMap<>();
    for (ClassTable.Entry e : spec.classes().entries().values()) {
      plurals.put(e.name(), e.plural());
    }
    BoxToCaption b2c = new BoxToCaption(spec.phrases(), options.central(), spec.stuff(), options.seed(), plurals);
    stats.annotatedImages = ann.images().size();
    progress.start("captions " + spec.name(), ann.images().size());
    int done = 0;
    for (AnnotatedImage raw : ann.images()) {
      for (LabeledObject o : raw.objects()) {
        stats.cls(o.className())[0]++;
      }
      AnnotatedImage img = ImageUnits.validate(raw, ann);
      if (img == null) {
        stats.skippedImages++;
        for (LabeledObject o : raw.objects()) {
          stats.cls(o.className())[1]++;
        }
        progress.update(++done);
        continue;
      }
      for (LabeledObject o : raw.objects()) {
        stats.cls(o.className())[1]++;
      }
      for (LabeledObject o : img.objects()) {
        stats.cls(o.className())[1]--;
      }
      if (img.countedObjects() == 0) {
        stats.imagesWithoutObjects++;
      } else {
        stats.imagesWithObjects++;
      }
      boolean[] tiled = {false};
      try {
        ImageUnits.split(spec, img, ann, unit -> {
          tiled[0] |= unit.tile() != null;
          try {
            emit(spec, unit, b2c, root, stats, report, items, refIndex, kept);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (DataFormatException e) {
            ann.issue(img.annotationFile(), 0, e.getMessage(), Action.SKIPPED_IMAGE);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      if (tiled[0]) {
        stats.tiledScenes++;
      }
      progress.update(++done);
    }
    progress.finish();
    report.issues(ann.issues());
  }

  private void emit(SourceSpec spec, ImageUnit unit, BoxToCaption b2c, Path root, BuildReport.SourceStats stats,
      BuildReport report, List<Item> items, HashIndex<String> refIndex, HashIndex<String> kept)
      throws IOException, DataFormatException {
    if (unit.countedObjects() == 0) {
      stats.unitsWithoutObjects++;
      return;
    }
    String rel = "images/" + unit.outputName(spec.tileFormat());
    List<Caption> caps = b2c.captions(rel, unit.width(), unit.height(), unit.objects());
    long hash = 0;
    if (kept != null) {
      hash = unit.pixels() != null ? PerceptualHash.of(unit.pixels()) : PerceptualHash.of(SourceImages.source(unit.image().location()));
      HashIndex.Match<String> ref = refIndex.nearest(hash);
      if (ref != null) {
        report.drop(new BuildReport.Drop(rel, "near-duplicate of a reference (test) image", ref.value(), ref.distance()));
        return;
      }
      HashIndex.Match<String> dup = kept.nearest(hash);
      if (dup != null) {
        report.drop(new BuildReport.Drop(rel, "near-duplicate of an image already in the output", dup.value(),
            dup.distance()));
        return;
      }
      kept.add(hash, rel);
    }
    Path target = root.resolve(rel);
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      throw new DataFormatException(unit.image().annotationFile() + ": output image " + rel
          + " would be written twice (two annotations name the same image?)");
    }
    if (unit.pixels() != null) {
      try (OutputStream o = Files.newOutputStream(target)) {
        BufferedImages.write(unit.pixels(), spec.tileFormat(), o);
      }
    } else {
      SourceImages.copy(unit.image().location(), target);
    }
    for (LabeledObject o : unit.objects()) {
      stats.cls(o.className())[2]++;
    }
    stats.unitsWritten++;
    stats.captions += caps.size();
    int[] tile = unit.tile() == null ? null
        : new int[] {unit.tile().x(), unit.tile().y(), unit.tile().width(), unit.tile().height()};
    items.add(new Item(spec.name(), rel, unit.image().location().name(), tile, unit.width(), unit.height(), caps,
        hash));
  }

  private static void writeCsv(Path file, List<Item> items, Path base) throws IOException {
    AtomicFiles.write(file, o -> {
      StringBuilder sb = new StringBuilder("filepath\ttitle\n");
      for (Item it : items) {
        String path = base == null ? it.path : base.resolve(it.path).toString();
        for (Caption c : it.captions) {
          sb.append(path).append('\t').append(c.text()).append('\n');
        }
        if (sb.length() > 1 << 20) {
          o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
          sb.setLength(0);
        }
      }
      o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    });
  }

  private static void writeJsonl(Path file, List<Item> items) throws IOException {
    AtomicFiles.write(file, o -> {
      for (Item it : items) {
        for (int i = 0; i < it.captions.size(); i++) {
          Caption c = it.captions.get(i);
          ObjectNode n = JSON.createObjectNode();
          n.put("source", it.source);
          n.put("image", it.path);
          n.put("origin", it.origin);
          if (it.tile != null) {
            ArrayNode t = n.putArray("tile");
            for (int v : it.tile) {
              t.add(v);
            }
          } else {
            n.putNull("tile");
          }
          n.put("width", it.width);
          n.put("height", it.height);
          n.put("index", i + 1);
          n.put("kind", c.kind().jsonName());
          n.put("caption", c.text());
          ObjectNode counts = n.putObject("counts");
          c.counts().forEach(counts::put);
          ArrayNode boxes = n.putArray("boxes");
          for (LabeledObject ob : c.objects()) {
            ObjectNode b = boxes.addObject();
            b.put("class", ob.className());
            ArrayNode xy = b.putArray("box");
            xy.add(round(ob.box().x0())).add(round(ob.box().y0())).add(round(ob.box().x1())).add(round(ob.box().y1()));
            if (ob.difficult()) {
              b.put("difficult", true);
            }
          }
          o.write(JSON.writeValueAsBytes(n));
          o.write('\n');
        }
      }
    });
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}

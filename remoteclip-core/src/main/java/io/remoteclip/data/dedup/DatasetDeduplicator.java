package io.remoteclip.data.dedup;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.fs.StagingDirectory;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes near-duplicate images from an existing caption data set (a directory with {@code captions.csv},
 * as written by the caption builder or by hand): images within the pHash threshold of a reference (test)
 * image, and images within the threshold of an earlier image of the same set (CSV order). Writes a new
 * data set with the kept images (relative paths copied; absolute paths left pointing where they point),
 * the filtered {@code captions.csv}, {@code captions.jsonl} (when present), {@code hashes.tsv} and
 * {@code dedup-report.md}. Hashes come from the set's {@code hashes.tsv} when it lists an image, else they
 * are computed.
 */
public final class DatasetDeduplicator {
  private static final ObjectMapper JSON = Json.mapper();

  /** One removed image. */
  public record Drop(String image, String reason, String matched, int distance) {}

  /** Outcome: images kept and dropped. */
  public record Result(int images, int kept, List<Drop> drops, List<String> problems) {}

  private final int threshold;
  private final ProgressListener progress;

  public DatasetDeduplicator(int threshold, ProgressListener progress) {
    if (threshold < 0 || threshold > 32) {
      throw new IllegalArgumentException("Hamming threshold must be in 0..32, got " + threshold);
    }
    this.threshold = threshold;
    this.progress = progress;
  }

  /** Finds the drops; writes the filtered set to {@code out} unless it is null (dry run). */
  public Result run(Path dataset, List<Path> references, Path out, boolean overwrite)
      throws IOException, DataFormatException {
    if (out != null && overwrite) {
      StagingDirectory.requireReplaceable(out.toAbsolutePath().normalize(), "dedup"); // before the work, not after
    }
    Path csv = dataset.resolve("captions.csv");
    if (!Files.isRegularFile(csv)) {
      throw new NoSuchFileException(csv + " (a caption data set directory needs captions.csv)");
    }
    List<String> lines = InputFiles.readLines(csv);
    if (lines.isEmpty() || !lines.get(0).equals("filepath\ttitle")) {
      throw DataFormatException.at(csv, 1, "expected the header 'filepath<TAB>title'");
    }
    Map<String, List<String>> captions = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String l = lines.get(i);
      int tab = l.indexOf('\t');
      if (tab <= 0) {
        throw DataFormatException.at(csv, i + 1, "expected 'filepath<TAB>title'");
      }
      captions.computeIfAbsent(l.substring(0, tab), k -> new ArrayList<>()).add(l.substring(tab + 1));
    }
    Map<String, Long> known = new HashMap<>();
    Path hashes = dataset.resolve("hashes.tsv");
    if (Files.isRegularFile(hashes)) {
      for (ReferenceImages.Entry e : ReferenceImages.readTsv(hashes)) {
        known.put(e.path(), e.hash());
      }
    }
    List<String> problems = new ArrayList<>();
    HashIndex<String> refs = new HashIndex<>(threshold);
    for (ReferenceImages.Entry e : ReferenceImages.load(references, progress, problems)) {
      refs.add(e.hash(), e.path());
    }
    HashIndex<String> kept = new HashIndex<>(threshold);
    List<Drop> drops = new ArrayList<>();
    Map<String, Long> keptHashes = new LinkedHashMap<>();
    progress.start("dedup", captions.size());
    int done = 0;
    for (String image : captions.keySet()) {
      Path file = dataset.resolve(image);
      Long h = known.get(image);
      if (h == null) {
        try {
          h = PerceptualHash.of(file);
        } catch (DataFormatException | NoSuchFileException e) {
          problems.add(image + ": " + e.getMessage() + " (image dropped)");
          drops.add(new Drop(image, "unreadable", "", -1));
          progress.update(++done);
          continue;
        }
      }
      HashIndex.Match<String> m = refs.nearest(h);
      if (m != null) {
        drops.add(new Drop(image, "near-duplicate of a reference (test) image", m.value(), m.distance()));
      } else if ((m = kept.nearest(h)) != null) {
        drops.add(new Drop(image, "near-duplicate of an earlier image", m.value(), m.distance()));
      } else {
        kept.add(h, image);
        keptHashes.put(image, h);
      }
      progress.update(++done);
    }
    progress.finish();
    Result result = new Result(captions.size(), keptHashes.size(), drops, problems);
    if (out != null) {
      write(dataset, captions, keptHashes, result, out, overwrite, references);
    }
    return result;
  }

  private void write(Path dataset, Map<String, List<String>> captions, Map<String, Long> keptHashes, Result result,
      Path out, boolean overwrite, List<Path> references) throws IOException, DataFormatException {
    try (StagingDirectory staging = StagingDirectory.create(out, overwrite, "dedup")) {
      try {
        Path root = staging.path();
        StringBuilder csv = new StringBuilder("filepath\ttitle\n");
        StringBuilder tsv = new StringBuilder("filepath\tphash\n");
        for (var e : keptHashes.entrySet()) {
          String image = e.getKey();
          if (!Path.of(image).isAbsolute()) {
            Path target = root.resolve(image).normalize();
            if (!target.startsWith(root)) {
              throw new IOException(image + ": image path leaves the data set directory");
            }
            Files.createDirectories(target.getParent());
            Files.copy(dataset.resolve(image), target);
          }
          for (String c : captions.get(image)) {
            csv.append(image).append('\t').append(c).append('\n');
          }
          tsv.append(image).append('\t').append(PerceptualHash.hex(e.getValue())).append('\n');
        }
        AtomicFiles.writeString(root.resolve("captions.csv"), csv.toString());
        AtomicFiles.writeString(root.resolve("hashes.tsv"), tsv.toString());
        Path jsonl = dataset.resolve("captions.jsonl");
        if (Files.isRegularFile(jsonl)) {
          StringBuilder kept = new StringBuilder();
          for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            if (keptHashes.containsKey(n.path("image").asText())) {
              kept.append(line).append('\n');
            }
          }
          AtomicFiles.writeString(root.resolve("captions.jsonl"), kept.toString());
        }
        Path report = dataset.resolve("report.md");
        if (Files.isRegularFile(report)) {
          Files.copy(report, root.resolve("report.md"));
        }
        AtomicFiles.writeString(root.resolve("dedup-report.md"), markdown(result, references));
        staging.commit();
      } catch (IOException e) {
        throw staging.named(e); // a full disk names the output, not its staging copy
      }
    }
  }

  private String markdown(Result r, List<Path> references) {
    StringBuilder md = new StringBuilder("# Deduplication report\n\n");
    md.append(String.format("pHash Hamming threshold %d; references: %s.%n%n%d images, %d kept, %d dropped.%n%n",
        threshold, references.isEmpty() ? "none" : references.toString(), r.images(), r.kept(), r.drops().size()));
    if (!r.drops().isEmpty()) {
      md.append("| image | reason | matched | distance |\n|---|---|---|---|\n");
      for (Drop d : r.drops()) {
        md.append(String.format("| %s | %s | %s | %d |%n", d.image(), d.reason(), d.matched(), d.distance()));
      }
    }
    for (String p : r.problems()) {
      md.append("\n- ").append(p);
    }
    return md.toString();
  }
}

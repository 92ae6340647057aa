package io.remoteclip.data.build;

import io.remoteclip.data.annotation.AnnotationIssue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a caption build did: per source and per class totals, near-duplicates dropped and input problems.
 * Rendered as {@code report.md}; the CLI prints {@link #summary()}.
 */
public final class BuildReport {

  /** Totals of one source. */
  public static final class SourceStats {
    public final String name;
    public final String format;
    public int annotatedImages;
    public int skippedImages;
    public int imagesWithObjects;
    public int imagesWithoutObjects;
    public int tiledScenes;
    public int unitsWritten;
    public int unitsWithoutObjects;
    public int captions;
    /** Per class: {annotated, outside/invalid dropped, in output}. */
    public final Map<String, long[]> classes = new TreeMap<>();

    SourceStats(String name, String format) {
      this.name = name;
      this.format = format;
    }

    long[] cls(String c) {
      return classes.computeIfAbsent(c, k -> new long[3]);
    }
  }

  /** An output image removed as a near-duplicate. */
  public record Drop(String image, String reason, String matched, int distance) {}

  private final List<SourceStats> sources = new ArrayList<>();
  private final List<Drop> drops = new ArrayList<>();
  private final List<AnnotationIssue> issues = new ArrayList<>();
  int dedupThreshold = -1;
  int referenceImages;
  int images;
  int captions;
  boolean committed;

  SourceStats source(String name, String format) {
    SourceStats s = new SourceStats(name, format);
    sources.add(s);
    return s;
  }

  void drop(Drop d) {
    drops.add(d);
  }

  void issues(List<AnnotationIssue> list) {
    issues.addAll(list);
  }

  public List<SourceStats> sources() {
    return sources;
  }

  public List<Drop> drops() {
    return drops;
  }

  public List<AnnotationIssue> issues() {
    return issues;
  }

  /** Images in the final data set. */
  public int images() {
    return images;
  }

  public int captions() {
    return captions;
  }

  /** Whether the data set was written (false when nothing usable was found). */
  public boolean committed() {
    return committed;
  }

  /** Objects per class over all sources: {annotated, dropped as invalid, in output}. */
  public Map<String, long[]> classTotals() {
    Map<String, long[]> t = new TreeMap<>();
    for (SourceStats s : sources) {
      s.classes.forEach((k, v) -> {
        long[] a = t.computeIfAbsent(k, x -> new long[3]);
        for (int i = 0; i < 3; i++) {
          a[i] += v[i];
        }
      });
    }
    return t;
  }

  /** A few lines for the terminal. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    for (SourceStats s : sources) {
      sb.append(String.format("%s (%s): %d annotated images, %d with objects, %d skipped, %d output images%s, %d captions%n",
          s.name, s.format, s.annotatedImages, s.imagesWithObjects, s.skippedImages, s.unitsWritten,
          s.tiledScenes > 0 ? " (" + s.tiledScenes + " scenes tiled)" : "", s.captions));
    }
    long annotated = 0, output = 0;
    for (long[] v : classTotals().values()) {
      annotated += v[0];
      output += v[2];
    }
    sb.append(String.format("objects: %d annotated, %d in output images; %d near-duplicates dropped; %d input problems%n",
        annotated, output, drops.size(), issues.size()));
    sb.append(String.format("total: %d images, %d captions", images, captions));
    return sb.toString();
  }

  /** The full report as Markdown. */
  public String markdown() {
    StringBuilder md = new StringBuilder("# Caption data set report\n\n");
    md.append(String.format("%d images, %d captions (captions.csv rows).%n%n", images, captions));
    md.append("## Sources\n\n| source | format | annotated images | with objects | skipped | tiled scenes "
        + "| output images | units without objects | captions |\n|---|---|---|---|---|---|---|---|---|\n");
    for (SourceStats s : sources) {
      md.append(String.format("| %s | %s | %d | %d | %d | %d | %d | %d | %d |%n", s.name, s.format, s.annotatedImages,
          s.imagesWithObjects, s.skippedImages, s.tiledScenes, s.unitsWritten, s.unitsWithoutObjects, s.captions));
    }
    md.append("\n## Objects per class\n\n`annotated`: objects the annotations define (counted classes and stuff "
        + "regions); `invalid`: dropped (outside the image, image missing); `in output`: object instances in the "
        + "output images (with tiling, objects in overlaps count once per tile and objects mostly outside a "
        + "tile are not counted there).\n\n| source | class | annotated | invalid | in output |\n|---|---|---|---|---|\n");
    for (SourceStats s : sources) {
      s.classes.forEach((k, v) -> md.append(String.format("| %s | %s | %d | %d | %d |%n", s.name, k, v[0], v[1], v[2])));
    }
    md.append("\n## Near-duplicates dropped\n\n");
    if (dedupThreshold < 0) {
      md.append("Deduplication was off.\n");
    } else {
      md.append(String.format("pHash Hamming threshold %d; %d reference images. %d dropped.%n%n", dedupThreshold,
          referenceImages, drops.size()));
      if (!drops.isEmpty()) {
        md.append("| image | reason | matched | distance |\n|---|---|---|---|\n");
        for (Drop d : drops) {
          md.append(String.format("| %s | %s | %s | %d |%n", d.image(), d.reason(), d.matched(), d.distance()));
        }
      }
    }
    md.append("\n## Input problems\n\n");
    if (issues.isEmpty()) {
      md.append("None.\n");
    } else {
      md.append(issues.size()).append(" problems; each names file:line, the problem and what was done.\n\n");
      for (AnnotationIssue i : issues) {
        md.append("- `").append(i.toString().replace("`", "'")).append("`\n");
      }
    }
    return md.toString();
  }
}

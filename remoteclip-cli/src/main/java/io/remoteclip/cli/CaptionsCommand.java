package io.remoteclip.cli;

import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.data.annotation.AnnotationIssue;
import io.remoteclip.data.build.BuildReport;
import io.remoteclip.data.build.CaptionDatasetBuilder;
import io.remoteclip.data.build.DatasetManifest;
import io.remoteclip.data.build.SourceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import io.remoteclip.cli.common.Usage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip captions}: detection boxes and segmentation masks → image–caption training set. */
@Command(
    name = "captions",
    mixinStandardHelpOptions = true,
    description = {
      "Turn detection boxes and segmentation masks into an image-caption training set (B2C + M2B, SPEC 5): "
          + "five captions per image with objects (location, counts, class combination), written to "
          + "captions.csv (filepath<TAB>title, open_clip/ITRA), captions.jsonl, hashes.tsv, report.md and images/.",
      "The output directory is built in a hidden sibling and appears only when complete. Problems in the "
          + "annotations are reported as file:line and skipped; the exit code is 65 only when nothing usable was "
          + "found (or with --strict, when anything was skipped).",
    },
    footer = {
      "",
      "Examples:",
      "  remoteclip captions --format coco --annotations ../shared/data/nwpu-vhr10/annotations.json \\",
      "      --images ../shared/data/nwpu-vhr10/images --name nwpu --out /tmp/nwpu-captions",
      "  remoteclip captions --format dota --annotations ../shared/data/samples/dota-devkit/labelTxt \\",
      "      --images ../shared/data/samples/dota-devkit/images --tile 512 --overlap 128 --out /tmp/dota-captions",
      "  remoteclip captions --format mask --classes isaid --min-area 40px \\",
      "      --annotations ../shared/data/samples/isaid/P0003_instance_color_RGB.png \\",
      "      --images ../shared/data/samples/isaid --tile 512 --out /tmp/isaid-captions",
      "  remoteclip captions --manifest sources.yaml --out /tmp/train-set",
    })
final class CaptionsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--manifest", paramLabel = "FILE", description = "YAML/JSON manifest listing several sources to merge.")
    Path manifest;

    @ArgGroup(exclusive = false)
    AnnotationSourceOptions single;
  }

  @Option(names = "--phrases", paramLabel = "SET", description = "satellite (\"picture\"), uav (\"aerial image\") or a YAML "
      + "phrase file (one source; a manifest sets it per source).")
  String phrases;

  @Option(names = "--stuff", paramLabel = "MODE", description = "Stuff classes: presence (\"..., with low vegetation.\") or "
      + "none (one source; a manifest sets it per source).")
  String stuff;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist unless --overwrite).")
  Path out;

  @Option(converter = Ranges.Seed.class, names = "--seed", paramLabel = "N",
      description = "Seed of the caption choices (default 0, or the manifest's)." + Ranges.Seed.HELP)
  Long seed;

  @Option(converter = Ranges.Fraction.class, names = "--central", paramLabel = "F", defaultValue = "0.3333333333333333",
      description = "Central region for location captions, as a fraction of each axis (default 1/3)."
          + Ranges.Fraction.HELP)
  double central;

  @Option(converter = Ranges.HammingOrOff.class, names = "--dedup-threshold", paramLabel = "N",
      description = "pHash Hamming distance at or below which images are near-duplicates (default 4; -1 = off)."
          + Ranges.HammingOrOff.HELP)
  Integer dedupThreshold;

  @Option(names = "--exclude", paramLabel = "PATH",
      description = "Reference (test) images the output must not contain: a directory of images or a hashes.tsv. Repeatable.")
  List<Path> exclude = new ArrayList<>();

  @Option(names = "--absolute-paths", description = "Write absolute image paths into captions.csv.")
  boolean absolutePaths;

  @Option(names = "--overwrite", description = "Replace an existing output directory (only once the new one is complete).")
  boolean overwrite;

  @Option(names = "--strict", description = "Exit with 65 when any annotation problem was found (the data set is still written).")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    OutputChecks.requireFresh(spec, out, overwrite);
    List<SourceSpec> sources;
    long s = seed == null ? 0 : seed;
    int threshold = dedupThreshold == null ? 4 : dedupThreshold;
    List<Path> refs = new ArrayList<>(exclude);
    if (input.manifest != null) {
      Usage.require(spec, phrases == null && stuff == null, "--phrases and --stuff describe one source; "
          + "a manifest gives them per source");
      DatasetManifest m = DatasetManifest.read(input.manifest);
      sources = m.sources();
      if (seed == null && m.seed() != null) {
        s = m.seed();
      }
      if (dedupThreshold == null && m.dedupThreshold() != null) {
        threshold = m.dedupThreshold();
      }
      refs.addAll(m.exclude());
    } else {
      sources = List.of(input.single.toSpec(spec, phrases, stuff));
    }
    var options = new CaptionDatasetBuilder.Options(s, central, threshold, refs, overwrite, absolutePaths);
    BuildReport report = new CaptionDatasetBuilder(options, ConsoleProgress.stderr()).build(sources, out);
    var err = spec.commandLine().getErr();
    printIssues(report.issues(), err);
    var o = spec.commandLine().getOut();
    o.println(report.summary());
    if (!report.committed()) {
      err.println("remoteclip: no image with objects could be converted; nothing written to " + out);
      return ErrorReporter.DATA_ERR;
    }
    o.println("wrote " + out + " (captions.csv, captions.jsonl, " + (threshold >= 0 ? "hashes.tsv, " : "")
        + "report.md, images/)");
    return strict && !report.issues().isEmpty() ? ErrorReporter.DATA_ERR : 0;
  }

  static void printIssues(List<AnnotationIssue> issues, java.io.PrintWriter err) {
    int shown = Math.min(issues.size(), 20);
    for (int i = 0; i < shown; i++) {
      err.println("remoteclip: warning: " + issues.get(i));
    }
    if (issues.size() > shown) {
      err.println("remoteclip: ... " + (issues.size() - shown) + " more problems, all listed in report.md");
    }
  }
}

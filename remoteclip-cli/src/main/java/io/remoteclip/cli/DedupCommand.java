package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.data.dedup.DatasetDeduplicator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip dedup}: drop near-duplicate images from a caption data set. */
@Command(
    name = "dedup",
    mixinStandardHelpOptions = true,
    description = {
      "Remove near-duplicate images (64-bit DCT pHash, Hamming distance <= threshold) from a caption data set "
          + "(a directory with captions.csv): duplicates of reference (test) images given with --exclude, and "
          + "repeats within the set (the first in captions.csv order is kept).",
      "Writes the filtered set to --out with dedup-report.md saying what was dropped and why; --dry-run only "
          + "prints the drops.",
    },
    footer = {
      "",
      "Examples:",
      "  remoteclip dedup --dataset /tmp/nwpu-captions --exclude ../shared/data/ucm-captions/images \\",
      "      --threshold 4 --out /tmp/nwpu-clean",
      "  remoteclip dedup --dataset /tmp/train-set --exclude /tmp/test-set/hashes.tsv --dry-run",
    })
final class DedupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "Caption data set directory (captions.csv).")
  Path dataset;

  @Option(names = "--exclude", paramLabel = "PATH",
      description = "Reference images: a directory of images, an image or a hashes.tsv. Repeatable.")
  List<Path> exclude = new ArrayList<>();

  @Option(converter = Ranges.Hamming.class, names = "--threshold", paramLabel = "N", defaultValue = "4",
      description = "Maximum Hamming distance of near-duplicates (default 4)." + Ranges.Hamming.HELP)
  int threshold;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write the filtered data set.")
  Path out;

  @Option(names = "--dry-run", description = "Only report the drops; write nothing.")
  boolean dryRun;

  @Option(names = "--overwrite", description = "Replace an existing --out directory (once the new one is complete).")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (out == null && !dryRun) {
      throw Usage.error(spec, "dedup needs --out DIR (or --dry-run)");
    }
    if (!dryRun) {
      OutputChecks.requireFresh(spec, out, overwrite);
    }
    var result = new DatasetDeduplicator(threshold, ConsoleProgress.stderr())
        .run(dataset, exclude, dryRun ? null : out, overwrite);
    var o = spec.commandLine().getOut();
    for (var d : result.drops()) {
      o.println("dropped " + d.image() + ": " + d.reason() + (d.distance() >= 0 ? " " + d.matched() + " (distance "
          + d.distance() + ")" : ""));
    }
    for (String p : result.problems()) {
      spec.commandLine().getErr().println("remoteclip: warning: " + p);
    }
    o.printf("%d images, %d kept, %d dropped%s%n", result.images(), result.kept(), result.drops().size(),
        dryRun ? " (dry run, nothing written)" : "; wrote " + out);
    return 0;
  }
}

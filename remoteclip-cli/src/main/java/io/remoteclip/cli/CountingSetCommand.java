package io.remoteclip.cli;

import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.data.counting.CountingSetBuilder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import io.remoteclip.data.build.SourceSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip counting-set}: a RemoteCount-style counting benchmark from detection annotations. */
@Command(
    name = "counting-set",
    mixinStandardHelpOptions = true,
    description = {
      "Build a RemoteCount-style counting benchmark: images (or tiles) labelled with one object category and "
          + "its count 1..10 (other categories may be present, as in RemoteCount; --exclusive requires them "
          + "absent). A category is used only when none of its instances is difficult or cut by a tile border.",
      "Writes items.jsonl ({\"image\", \"category\", \"plural\", \"count\"}, image relative to items.jsonl), "
          + "images/ and report.md.",
    },
    footer = {
      "",
      "Examples:",
      "  remoteclip counting-set --format coco --annotations ../shared/data/nwpu-vhr10/annotations.json \\",
      "      --images ../shared/data/nwpu-vhr10/images --name nwpu --out /tmp/nwpu-count",
      "  remoteclip counting-set --format dota --annotations ../shared/data/samples/dota-devkit/labelTxt \\",
      "      --images ../shared/data/samples/dota-devkit/images --tile 256 --overlap 0 --out /tmp/dota-count",
    })
final class CountingSetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = false, multiplicity = "1")
  AnnotationSourceOptions source;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist unless --overwrite).")
  Path out;

  @Option(converter = Ranges.Positive.class, names = "--max-count", paramLabel = "N", defaultValue = "10",
      description = "Largest count (default 10)." + Ranges.Positive.HELP)
  int maxCount;

  @Option(names = "--exclusive", description = "Use only images whose objects all belong to one category.")
  boolean exclusive;

  @Option(converter = Ranges.Seed.class, names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed for choosing the category of an image." + Ranges.Seed.HELP)
  long seed;

  @Option(names = "--overwrite", description = "Replace an existing output directory (once the new one is complete).")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    OutputChecks.requireFresh(spec, out, overwrite);
    SourceSpec sourceSpec = source.toSpec(spec, null, null);
    var result = new CountingSetBuilder(seed, maxCount, exclusive, overwrite, ConsoleProgress.stderr())
        .build(sourceSpec, out);
    CaptionsCommand.printIssues(result.issues(), spec.commandLine().getErr());
    var p = spec.commandLine().getOut();
    result.histogram().forEach((c, h) -> {
      StringBuilder sb = new StringBuilder(String.format("%-20s", c));
      int total = 0;
      for (int n = 1; n < h.length; n++) {
        sb.append(String.format(" %d:%d", n, h[n]));
        total += h[n];
      }
      p.println(sb + "  total " + total);
    });
    if (!result.committed()) {
      spec.commandLine().getErr().println("remoteclip: no image holds 1.." + maxCount
          + " instances of a category; nothing written to " + out);
      return ErrorReporter.DATA_ERR;
    }
    p.println(result.items() + " items; wrote " + out + "/items.jsonl");
    return 0;
  }
}

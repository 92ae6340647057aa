package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.common.NumericOptions;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.eval.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Every numeric option is checked while the command line is parsed: a value outside its range (NaN and
 * infinities included) is one usage line naming the option and the range, exit 2, before any work starts.
 */
class NumericOptionRangesTest {
  @Test
  void everyNumericOptionHasARangeShownInItsHelp() {
    assertEquals(List.of(), NumericOptions.unchecked(Main.newCommandLine()));
  }

  @CommandLine.Command(name = "careless")
  static final class Careless implements Runnable {
    @CommandLine.Option(names = "--count") int count;
    @CommandLine.Option(names = "--share", converter = Ranges.Fraction.class, description = "A share.") double share;
    @CommandLine.Option(names = "--sizes", split = ",") List<Long> sizes;

    @Override
    public void run() {}
  }

  @Test
  void theConventionCatchesOptionsWithoutARange() {
    assertEquals(List.of("careless --count: no Ranges converter",
        "careless --share: its description does not show the range 'above 0, at most 1'",
        "careless --sizes: no Ranges converter"), NumericOptions.unchecked(new CommandLine(new Careless())));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(delimiter = '|', value = {
      "eval linear-probe | -C               | 0          | a finite number above 0",
      "eval linear-probe | -C               | NaN        | a finite number above 0",
      "dedup             | --threshold      | -5         | 0 to 32",
      "index             | --commit-every   | 0          | at least 1",
      "search            | --ef             | 0          | at least 1",
      "search            | --top-k          | -3         | at least 1",
      "tokenize          | --context-length | 2000000000 | 2 to 8192",
      "embed             | --threads        | 10000      | 0 to 256",
      "embed             | --threads        | -1         | 0 to 256",
      "embed             | --batch-size     | 0          | at least 1",
      "train             | --lr             | NaN        | a finite number above 0",
      "train             | --lr             | Infinity   | a finite number above 0",
      "train             | --wd             | -0.1       | a finite number, 0 or more",
      "eval knn          | --temperature    | -Infinity  | a finite number above 0",
      "scan              | --threshold      | NaN        | a finite number",
      "eval fewshot      | --shots          | 1,0,4      | at least 1",
      "serve             | --port           | 70000      | 0 to 65535",
      "serve             | --http-threads   | 100000     | 0 to 1024",
      "train             | --seed           | x7         | any integer",
  })
  void outOfRangeIsOneUsageLineNamingOptionAndRange(String command, String option, String value, String range) {
    List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
    args.add(option);
    args.add(value);
    CliRun r = CliRun.of(args);
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("remoteclip: Invalid value for option '" + option + "'"), r.err());
    assertTrue(r.err().contains("(allowed: " + range + ")"), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
  }

  @Test
  void helpShowsTheRanges() {
    CliRun r = CliRun.of("embed", "--help");
    assertEquals(0, r.code(), r.err());
    String help = r.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("Compute threads (0 = all cores). Range: 0 to 256."), help);
    assertTrue(help.contains("Range: at least 1."), help);
  }
}

package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.common.NumericOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** remoteclip-spark's numeric options follow remoteclip's convention: checked at parse time, range in --help. */
class SparkOptionRangesTest {
  @Test
  void everyNumericOptionHasARangeShownInItsHelp() {
    assertEquals(List.of(), NumericOptions.unchecked(SparkMain.newCommandLine()));
  }

  @Test
  void threadsOutOfRangeAreUsageErrorsBeforeSparkStarts() {
    for (String[] args : List.of(new String[] {"embed", "--threads", "10000"}, new String[] {"embed", "--decode-threads", "-1"},
        new String[] {"classify", "--top-k", "0"}, new String[] {"embed", "--partitions", "-2"})) {
      CommandLine cmd = SparkMain.newCommandLine();
      StringWriter err = new StringWriter();
      cmd.setErr(new PrintWriter(err, true));
      assertEquals(2, cmd.execute(args), err.toString());
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
      assertTrue(err.toString().startsWith("remoteclip-spark: Invalid value for option '" + args[1] + "'")
          && err.toString().contains("(allowed: "), err.toString());
    }
  }
}

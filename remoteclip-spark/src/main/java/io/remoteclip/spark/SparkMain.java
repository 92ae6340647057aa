package io.remoteclip.spark;

import io.remoteclip.cli.ErrorReporter;
import io.remoteclip.cli.Main;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code bin/remoteclip-spark} and of {@code spark-submit --class io.remoteclip.spark.SparkMain}.
 * Same error messages and exit codes as {@code remoteclip}.
 */
@Command(
    name = "remoteclip-spark",
    mixinStandardHelpOptions = true,
    description = "RemoteCLIP on Apache Spark: embed and classify image archives and scene windows; local[*] unless "
        + "spark-submit or --master sets a master; dev-cluster starts a local standalone cluster.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:internal error (run with -v and report it)", "2:invalid command line",
      "65:bad data, format or configuration", "66:missing input file or model", "74:I/O error"},
    subcommands = {CommandLine.HelpCommand.class, SparkEmbedCommand.class, SparkClassifyCommand.class,
      SparkDevClusterCommand.class})
public final class SparkMain implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  public static void main(String[] args) {
    int code = run(args);
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    System.exit(code);
  }

  /** Runs a command line in this JVM (tests: the SparkSession stays up for the next command). */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  /** The CLI's error handling, with Spark's job failures translated first ({@link SparkErrors#job}). */
  public static CommandLine newCommandLine() {
    CommandLine cmd = Main.configure(new CommandLine(new SparkMain()));
    ErrorReporter reporter = new ErrorReporter("remoteclip-spark");
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> reporter.handleExecutionException(SparkErrors.job(ex), c, parsed));
    cmd.setExitCodeExceptionMapper(t -> ErrorReporter.exitCode(t instanceof Exception e ? SparkErrors.job(e) : t));
    return cmd;
  }
}

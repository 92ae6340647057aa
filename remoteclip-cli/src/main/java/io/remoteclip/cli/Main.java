package io.remoteclip.cli;

import picocli.CommandLine;

/** Entry point of the {@code remoteclip} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  public static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new RemoteClipCommand());
    cmd.setExecutionExceptionHandler(new ErrorReporter());
    cmd.setParameterExceptionHandler(Main::usageError);
    cmd.setExitCodeExceptionMapper(ErrorReporter::exitCode);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    return cmd;
  }

  /** A command-line mistake: one line naming the problem and where help is, exit 2 (no usage dump). */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println("remoteclip: " + ex.getMessage().lines().findFirst().orElse("") + " (see '" + name + " --help')");
    cmd.getErr().flush();
    return CommandLine.ExitCode.USAGE;
  }
}

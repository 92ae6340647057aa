package io.remoteclip.cli;

import io.remoteclip.cli.common.VerboseOption;
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
    return configure(new CommandLine(new RemoteClipCommand()));
  }

  /** One-line errors and the exit codes of {@link ErrorReporter} (shared with other launchers). */
  public static CommandLine configure(CommandLine cmd) {
    cmd.setExecutionExceptionHandler(new ErrorReporter());
    cmd.setParameterExceptionHandler(Main::usageError);
    cmd.setExitCodeExceptionMapper(ErrorReporter::exitCode);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    addVerbose(cmd);
    RemoteReport.install(cmd);
    return cmd;
  }

  /** {@code -v/--verbose} on every command, present and future, without each declaring it. */
  private static void addVerbose(CommandLine cmd) {
    if (!cmd.getCommandSpec().optionsMap().containsKey("--verbose")) {
      cmd.getCommandSpec().addMixin("verbose", CommandLine.Model.CommandSpec.forAnnotatedObject(new VerboseOption()));
    }
    for (CommandLine sub : cmd.getSubcommands().values()) {
      addVerbose(sub);
    }
  }

  /** A command-line mistake: one line naming the problem and where help is, exit 2 (no usage dump). */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(cmd.getCommandSpec().root().name() + ": " + ex.getMessage().lines().findFirst().orElse("") + " (see '" + name + " --help')");
    cmd.getErr().flush();
    return CommandLine.ExitCode.USAGE;
  }
}

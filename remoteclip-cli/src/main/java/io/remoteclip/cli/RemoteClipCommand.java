package io.remoteclip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Root command: prints usage when no subcommand is given. */
@Command(
    name = "remoteclip",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "RemoteCLIP for the JVM: embed, classify, search and evaluate remote-sensing imagery.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error (a bug: run with -v and report it)",
      "2:invalid command line",
      "65:bad data, format or configuration",
      "66:missing input file or model",
      "74:I/O error"
    },
    subcommands = {
      picocli.CommandLine.HelpCommand.class,
      InfoCommand.class,
      ScanCommand.class,
      TokenizeCommand.class,
      EmbedCommand.class,
      ExportCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      ServeCommand.class,
      ClassifyCommand.class,
      TrainCommand.class,
      ConvertCommand.class,
      BenchCommand.class,
      PullCommand.class,
      ModelsCommand.class,
      io.remoteclip.cli.eval.EvalCommand.class,
      io.remoteclip.cli.eval.BenchmarkCommand.class,
      TrainVocabCommand.class,
      CaptionsCommand.class,
      DedupCommand.class,
      CountingSetCommand.class,
      SolrCommand.class,
      StacCommand.class,
    })
public final class RemoteClipCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}

package io.remoteclip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code remoteclip stac …}: find scenes in STAC APIs and static catalogs. */
@Command(name = "stac", mixinStandardHelpOptions = true,
    description = "STAC: search a STAC API or walk a static catalog, writing the items found as an ItemCollection.",
    subcommands = {StacSearchCommand.class})
public final class StacCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}

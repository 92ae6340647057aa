package io.remoteclip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code remoteclip solr …}: set up collections and run a local SolrCloud. */
@Command(name = "solr", mixinStandardHelpOptions = true,
    description = "SolrCloud backend: create a collection for a model, or start a local dev cluster. "
        + "index, search and serve take --solr URL --collection NAME to use it.",
    subcommands = {CreateCollectionCommand.class, DevClusterCommand.class})
public final class SolrCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}

package io.remoteclip.cli;

import io.remoteclip.cli.common.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Command-line checks on output directories, made before any work starts. */
final class OutputChecks {
  private OutputChecks() {}

  /** An existing {@code --out} is a usage error (exit 2) unless {@code --overwrite} is given. */
  static void requireFresh(CommandSpec spec, Path out, boolean overwrite) {
    if (Files.exists(out) && !overwrite) {
      throw Usage.error(spec, out + ": output directory exists (choose another --out or pass --overwrite)");
    }
  }
}

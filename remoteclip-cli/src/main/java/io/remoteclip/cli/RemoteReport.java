package io.remoteclip.cli;

import io.remoteclip.remote.RasterLocation;
import io.remoteclip.remote.Transfers;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Remote inputs on every command: arguments typed {@link RasterLocation} accept a path or an {@code
 * http(s)://} / {@code s3://} URI; each run starts with fresh transfer counts, prints remote warnings (a TIFF
 * that is not cloud-optimised) once on the command's error stream, and with {@code -v} ends with the requests
 * and bytes fetched per remote scene or image.
 */
final class RemoteReport implements IExecutionStrategy {
  private final IExecutionStrategy delegate;

  private RemoteReport(IExecutionStrategy delegate) {
    this.delegate = delegate;
  }

  static void install(CommandLine cmd) {
    cmd.registerConverter(RasterLocation.class, RemoteReport::location);
    cmd.setExecutionStrategy(new RemoteReport(cmd.getExecutionStrategy()));
  }

  private static RasterLocation location(String text) {
    try {
      return RasterLocation.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  @Override
  public int execute(ParseResult parsed) {
    ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    PrintWriter err = last.commandSpec().commandLine().getErr();
    boolean verbose = parsed.expandedArgs().contains("-v") || parsed.expandedArgs().contains("--verbose");
    Transfers.reset();
    Transfers.warnTo(w -> {
      err.println("remoteclip: warning: " + w);
      err.flush();
    });
    try {
      return delegate.execute(parsed);
    } finally {
      if (verbose) {
        for (Transfers.Summary s : Transfers.snapshot()) {
          if (s.bytes() > 0) { // not the probes of objects that are not there (captions --images PREFIX)
            err.println("remoteclip: fetched " + s.line());
          }
        }
        err.flush();
      }
    }
  }
}

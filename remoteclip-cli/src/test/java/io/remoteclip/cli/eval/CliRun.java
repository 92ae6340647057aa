package io.remoteclip.cli.eval;

import io.remoteclip.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** The remoteclip command line run in-process: its exit code, stdout and stderr (for the CLI tests of every package). */
public record CliRun(int code, String out, String err) {
  public static CliRun of(List<String> args) {
    CommandLine cmd = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args.toArray(String[]::new));
    return new CliRun(code, out.toString(), err.toString());
  }

  public static CliRun of(String... args) {
    return of(List.of(args));
  }
}

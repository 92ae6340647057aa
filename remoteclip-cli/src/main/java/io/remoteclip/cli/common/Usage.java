package io.remoteclip.cli.common;

import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Command-line mistakes as picocli {@link ParameterException}s (exit 2, one line, no stack trace), so that an
 * {@link IllegalArgumentException} reaching the error reporter means a bug (exit 1).
 */
public final class Usage {
  private Usage() {}

  /** A mistake on the command line of {@code spec}'s command. */
  public static ParameterException error(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Fails with a usage error unless {@code ok}. */
  public static void require(CommandSpec spec, boolean ok, String message) {
    if (!ok) {
      throw error(spec, message);
    }
  }

  /**
   * {@code parser(value)}, turning its {@link IllegalArgumentException} (the library's answer to a bad
   * value) into a usage error naming the option.
   */
  public static <T> T parse(CommandSpec spec, String option, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw error(spec, option + " " + value + ": " + e.getMessage());
    }
  }
}

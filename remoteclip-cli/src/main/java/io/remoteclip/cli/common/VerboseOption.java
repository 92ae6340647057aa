package io.remoteclip.cli.common;

import picocli.CommandLine.Option;

/**
 * {@code -v/--verbose}, added to every command by {@code Main}: stack traces for every error, not only for
 * internal ones (the error reporter reads it from the parsed arguments).
 */
public final class VerboseOption {
  @Option(names = {"-v", "--verbose"}, description = "Show stack traces on errors, and the requests and bytes fetched per remote input.")
  boolean verbose;
}

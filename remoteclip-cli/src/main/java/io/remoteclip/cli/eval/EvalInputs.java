package io.remoteclip.cli.eval;

import io.remoteclip.DataFormatException;
import io.remoteclip.eval.Ensemble;
import io.remoteclip.eval.PromptTemplates;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Command-line checks shared by the eval commands; mistakes are usage errors (exit 2) naming the option. */
final class EvalInputs {
  private EvalInputs() {}

  private static final String[] MODEL_OPTIONS = {"--model", "--vocab", "--config", "--activation", "--bands",
      "--batch-size", "--threads", "--cache-dir", "--no-cache"};

  /** Model options only make sense end to end; with cached embeddings they would be silently ignored. */
  static void rejectModelOptions(CommandSpec spec) {
    var parsed = spec.commandLine().getParseResult();
    for (String o : MODEL_OPTIONS) {
      if (parsed.hasMatchedOption(o)) {
        throw usage(spec, o + " is for end-to-end evaluation (with --dataset or --items); "
            + "cached embeddings need no model");
      }
    }
  }

  static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  static Ensemble ensemble(CommandSpec spec, String value) {
    try {
      return Ensemble.parse(value);
    } catch (IllegalArgumentException e) {
      throw usage(spec, "--ensemble " + value + ": expected normalize-first or average-first");
    }
  }

  /** A built-in prompt set by name, or a template file. */
  static List<String> templates(CommandSpec spec, String value) throws IOException, DataFormatException {
    try {
      return PromptTemplates.resolve(value, null);
    } catch (IllegalArgumentException e) {
      throw usage(spec, "--templates " + value + ": not a file; built-in sets: single, remote-sensing");
    }
  }
}

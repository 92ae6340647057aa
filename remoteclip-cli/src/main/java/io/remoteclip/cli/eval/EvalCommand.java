package io.remoteclip.cli.eval;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code remoteclip eval}: the evaluation protocols of SPEC §7 (prints usage without a subcommand). */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate embeddings: zero-shot, linear probe, k-NN, few-shot, retrieval and counting.",
    subcommands = {
      EvalZeroShotCommand.class,
      EvalLinearProbeCommand.class,
      EvalKnnCommand.class,
      EvalFewShotCommand.class,
      EvalRetrievalCommand.class,
      EvalCountingCommand.class
    },
    footerHeading = "%nExample:%n",
    footer = "  remoteclip eval zeroshot --image-embeddings I.npy --labels L.npy --class-embeddings C.npy --json")
public final class EvalCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}

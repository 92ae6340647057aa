package io.remoteclip.cli.eval;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code remoteclip eval}: the evaluation protocols of SPEC §7 (prints usage without a subcommand). */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {"Evaluate a model or cached embeddings: zero-shot, linear probe, k-NN, few-shot, retrieval and counting.",
      "End to end with --model and --dataset (--items for counting); embeddings are cached (--cache-dir)."},
    subcommands = {
      EvalZeroShotCommand.class,
      EvalLinearProbeCommand.class,
      EvalKnnCommand.class,
      EvalFewShotCommand.class,
      EvalRetrievalCommand.class,
      EvalCountingCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {"  remoteclip eval zeroshot --image-embeddings I.npy --labels L.npy \\",
      "      --class-embeddings C.npy --json",
      "  remoteclip eval retrieval --model ../shared/golden/vit-tiny/model.pt \\",
      "      --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz \\",
      "      --dataset ../shared/data/ucm-captions/dataset_ucm.json"})
public final class EvalCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}

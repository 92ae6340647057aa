package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.DataFormatException;
import io.remoteclip.tokenizer.BpeTrainer;
import io.remoteclip.tokenizer.ClipTokenizer;
import io.remoteclip.tokenizer.TextCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip train-vocab}: learn a byte-level BPE vocabulary from captions. */
@Command(
    name = "train-vocab",
    mixinStandardHelpOptions = true,
    description = {
      "Learn a byte-level BPE vocabulary from captions, in the format of OpenAI's "
          + "bpe_simple_vocab_16e6 (header line, then one merge \"a b\" per line; gzip-compressed when "
          + "OUT ends in .gz), readable by tokenize --vocab. The vocabulary has 512 + merges + 2 ids.",
      "Texts are cleaned and split as the CLIP tokenizer does; each step merges the most frequent "
          + "pair, ties broken by the smaller (first, second) symbol pair, so the result is "
          + "deterministic.",
      "Each input is a Karpathy-style JSON (images[].sentences[].raw), an open_clip captions.csv "
          + "(tab-separated, header filepath<TAB>title), or plain text with one caption per line."
    },
    footer = {
      "%nExample:",
      "  remoteclip train-vocab --texts dataset_ucm.json --merges 2000 --out ucm_vocab.txt.gz"
    })
final class TrainVocabCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--texts", required = true, arity = "1..*", paramLabel = "FILE",
      description = "caption files (JSON, captions.csv or plain text)")
  List<Path> texts;

  @Option(converter = Ranges.Merges.class, names = "--merges", required = true, paramLabel = "N",
      description = "number of merges to learn." + Ranges.Merges.HELP)
  int merges;

  @Option(names = "--out", required = true, paramLabel = "VOCAB", description = "output vocabulary file (.txt or .txt.gz)")
  Path out;

  @Option(names = "--split", paramLabel = "NAME",
      description = "only images of this split in Karpathy JSON files (e.g. train); default: all")
  String split;

  @Option(converter = Ranges.Positive.class, names = "--min-count", defaultValue = "2", paramLabel = "K",
      description = "stop early when no pair occurs K times (default: ${DEFAULT-VALUE})" + Ranges.Positive.HELP)
  int minCount;

  @Override
  public Integer call() throws Exception {
    List<String> captions = new ArrayList<>();
    for (Path file : texts) {
      List<String> read = TextCorpus.captions(file, split);
      if (read.isEmpty()) {
        throw new DataFormatException(file + ": no captions" + (split == null ? "" : " in split '" + split + "'"));
      }
      captions.addAll(read);
    }
    List<String[]> learned = new BpeTrainer(minCount).train(captions, merges, ConsoleProgress.stderr());
    BpeTrainer.write(out, learned);
    int size = ClipTokenizer.load(out).vocabSize();
    spec.commandLine().getOut().printf("learned %d merges from %d captions%s; vocabulary size %d; wrote %s%n",
        learned.size(), captions.size(),
        learned.size() < merges
            ? " (stopped early: no pair left that occurs at least " + minCount + " time(s))" : "",
        size, out);
    return 0;
  }
}

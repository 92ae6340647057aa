package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.DataFormatException;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.tokenizer.ClipTokenizer;
import io.remoteclip.tokenizer.TextCorpus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remoteclip tokenize}: texts → int64 token matrix, exactly as open_clip.tokenize. */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = {
      "Tokenize texts with a CLIP BPE vocabulary, exactly as open_clip.tokenize: one row per line of "
          + "the input file, [<start_of_text>] + BPE ids + [<end_of_text>] zero-padded to the context "
          + "length; longer texts are cut and end with <end_of_text>. Writes an int64 .npy of shape "
          + "[lines, length].",
      "Empty lines are kept (a row of just start and end) so that row i is line i+1; a final newline "
          + "does not add a row. Cleaning: HTML entities unescaped twice, whitespace collapsed, lower "
          + "case, Unicode NFC in place of ftfy."
    },
    footer = {
      "%nExample:",
      "  remoteclip tokenize --vocab bpe_simple_vocab_16e6.txt.gz --texts prompts.txt --out tokens.npy"
    })
final class TokenizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--vocab", required = true, paramLabel = "VOCAB",
      description = "BPE vocabulary (bpe_simple_vocab_16e6.txt.gz or a file from train-vocab; plain or gzip)")
  Path vocab;

  @Option(names = "--texts", required = true, paramLabel = "FILE", description = "UTF-8 text file, one text per line")
  Path texts;

  @Option(names = "--out", required = true, paramLabel = "TOKENS.npy", description = "output int64 [N, length] array")
  Path out;

  @Option(converter = Ranges.ContextLength.class, names = "--context-length", defaultValue = "77", paramLabel = "N",
      description = "row length (default: ${DEFAULT-VALUE})" + Ranges.ContextLength.HELP)
  int contextLength;

  @Override
  public Integer call() throws Exception {
    ClipTokenizer tokenizer = ClipTokenizer.load(vocab);
    List<String> lines = TextCorpus.lines(texts);
    if (lines.isEmpty()) {
      throw new DataFormatException(texts + ": no texts (the file is empty)");
    }
    if ((long) lines.size() * contextLength > Integer.MAX_VALUE - 8) {
      // one Java array holds the .npy's rows: beyond it the size would wrap negative
      throw new DataFormatException(texts + ": " + lines.size() + " texts × " + contextLength
          + " tokens do not fit one array (at most " + (Integer.MAX_VALUE - 8) + " tokens); split the file");
    }
    long[][] rows = tokenizer.tokenize(lines, contextLength);
    long[] flat = new long[rows.length * contextLength];
    int truncated = 0;
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * contextLength, contextLength);
      if (tokenizer.encode(lines.get(r)).length + 2 > contextLength) {
        truncated++;
      }
    }
    Npy.write(out, NpyArray.ofLongs(flat, rows.length, contextLength));
    spec.commandLine().getOut().printf("wrote %s: int64 [%d, %d]%s%n", out, rows.length, contextLength,
        truncated == 0 ? "" : " (" + truncated + " text(s) longer than " + contextLength + " tokens were cut)");
    return 0;
  }
}

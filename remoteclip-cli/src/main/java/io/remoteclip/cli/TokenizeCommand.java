package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.tokenizer.TextCorpus;
import io.remoteclip.tokenizer.TextTokenizer;
import io.remoteclip.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code remoteclip tokenize}: texts → int64 token matrix, exactly as open_clip (CLIP BPE, SigLIP SentencePiece)
 * or transformers' SiglipTokenizer would give them.
 */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = {
      "Tokenize texts, one row per line of the input file, as the model's own tokenizer does; writes an "
          + "int64 .npy of shape [lines, length].",
      "CLIP BPE vocabulary: exactly open_clip.tokenize, [<start_of_text>] + BPE ids + [<end_of_text>] "
          + "zero-padded to 77; longer texts are cut and end with <end_of_text>. Cleaning: HTML entities "
          + "unescaped twice, whitespace collapsed, lower case, Unicode NFC in place of ftfy.",
      "SentencePiece (spiece.model, tokenizer.json, or a Hugging Face model directory): SigLIP's ids + </s>, "
          + "padded with </s> to 64 (or the directory's model_max_length). --pipeline open_clip: ftfy, "
          + "canonicalize (punctuation removed, lower case), unknown characters as <unk>; --pipeline "
          + "transformers: SiglipTokenizer's rules, unknown characters as UTF-8 byte pieces.",
      "Empty lines are kept so that row i is line i+1; a final newline does not add a row."
    },
    footer = {
      "%nExamples:",
      "  remoteclip tokenize --vocab bpe_simple_vocab_16e6.txt.gz --texts prompts.txt --out tokens.npy",
      "  remoteclip tokenize --vocab Git-RSCLIP/ --texts prompts.txt --out tokens.npy",
      "  remoteclip tokenize --vocab spiece.model --pipeline transformers --texts prompts.txt --out tokens.npy"
    })
final class TokenizeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Which SentencePiece pipeline: the model layout's. */
  enum Pipeline { OPEN_CLIP, TRANSFORMERS }

  @Option(names = "--vocab", required = true, paramLabel = "VOCAB",
      description = "BPE vocabulary (bpe_simple_vocab_16e6.txt.gz or a file from train-vocab; plain or gzip), "
          + "a SentencePiece spiece.model, a tokenizer.json, or a Hugging Face model directory")
  Path vocab;

  @Option(names = "--pipeline", paramLabel = "NAME",
      description = "SentencePiece pipeline: open_clip or transformers (default: transformers for a directory "
          + "or a file beside a tokenizer_config.json naming SiglipTokenizer, else open_clip)")
  Pipeline pipeline;

  @Option(names = "--texts", required = true, paramLabel = "FILE", description = "UTF-8 text file, one text per line")
  Path texts;

  @Option(names = "--out", required = true, paramLabel = "TOKENS.npy", description = "output int64 [N, length] array")
  Path out;

  @Option(converter = Ranges.ContextLength.class, names = "--context-length", paramLabel = "N",
      description = "row length (default: the tokenizer's, 77 for CLIP, 64 for SigLIP)" + Ranges.ContextLength.HELP)
  Integer contextLengthOption;

  @Override
  public Integer call() throws Exception {
    TextTokenizer tokenizer = Tokenizers.forModel(vocab, layout());
    int contextLength = contextLengthOption != null ? contextLengthOption : tokenizer.contextLength();
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
      if (tokenizer.encode(lines.get(r)).length + tokenizer.specialTokensPerRow() > contextLength) {
        truncated++;
      }
    }
    Npy.write(out, NpyArray.ofLongs(flat, rows.length, contextLength));
    spec.commandLine().getOut().printf("wrote %s: int64 [%d, %d]%s%n", out, rows.length, contextLength,
        truncated == 0 ? "" : " (" + truncated + " text(s) longer than " + contextLength + " tokens were cut)");
    return 0;
  }

  private Tokenizers.Layout layout() {
    if (pipeline != null) {
      return pipeline == Pipeline.TRANSFORMERS ? Tokenizers.Layout.HUGGING_FACE : Tokenizers.Layout.OPEN_CLIP;
    }
    if (Files.isDirectory(vocab)) {
      return Tokenizers.Layout.HUGGING_FACE;
    }
    Path parent = vocab.toAbsolutePath().getParent();
    Path config = parent == null ? null : parent.resolve("tokenizer_config.json");
    if (config != null && Files.isRegularFile(config)) {
      try {
        if (Json.mapper().readTree(config.toFile()).path("tokenizer_class").asText().equals("SiglipTokenizer")) {
          return Tokenizers.Layout.HUGGING_FACE;
        }
      } catch (java.io.IOException e) {
        // not JSON: loading the tokenizer reports it with the file's name
      }
    }
    return Tokenizers.Layout.OPEN_CLIP;
  }
}

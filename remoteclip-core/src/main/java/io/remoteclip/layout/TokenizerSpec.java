package io.remoteclip.layout;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.tokenizer.ClipTokenizer;
import io.remoteclip.tokenizer.TextTokenizer;
import io.remoteclip.tokenizer.Tokenizers;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Which tokenizer a model's text tower was trained with, and its file. SigLIP models of the two layouts clean
 * and split text differently (open_clip's HFTokenizer runs ftfy and its own canonicalisation; transformers'
 * SiglipTokenizer neither, and falls back to bytes for unknown characters), so the layout decides the pipeline.
 *
 * @param file the vocabulary ({@code bpe_simple_vocab_16e6.txt.gz}, {@code spiece.model} or {@code tokenizer.json});
 *     null when none was found
 */
public record TokenizerSpec(Kind kind, Path file) {
  /** The one place a model's {@link TokenizerSpec} becomes a {@link TextTokenizer} (ClipEncoder calls it). */
  public TextTokenizer open() throws ModelNotFoundException, DataFormatException {
    return switch (kind) {
      case CLIP_BPE -> ClipTokenizer.load(file);
      case SENTENCEPIECE_OPEN_CLIP -> file == null ? new Missing(64)
          : Tokenizers.forModel(file, Tokenizers.Layout.OPEN_CLIP);
      case SENTENCEPIECE_TRANSFORMERS -> file == null ? new Missing(64)
          : Tokenizers.forModel(file, Tokenizers.Layout.HUGGING_FACE);
    };
  }

  public enum Kind {
    /** OpenAI CLIP's byte-pair encoder (open_clip's {@code SimpleTokenizer}). */
    CLIP_BPE("clip-bpe"),
    /** SentencePiece as open_clip's {@code HFTokenizer(clean="canonicalize")} runs it for ViT-*-SigLIP models. */
    SENTENCEPIECE_OPEN_CLIP("sentencepiece-open_clip"),
    /** SentencePiece as transformers' {@code SiglipTokenizer} runs it (Git-RSCLIP, google/siglip-*). */
    SENTENCEPIECE_TRANSFORMERS("sentencepiece-transformers");

    private final String cliName;

    Kind(String cliName) {
      this.cliName = cliName;
    }

    public String cliName() {
      return cliName;
    }
  }

  /**
   * A SentencePiece model shipped without its tokenizer file: its images still embed, and texts fail with one
   * line saying which file to give.
   */
  private record Missing(int contextLength) implements TextTokenizer {
    @Override
    public TextTokenizer withContextLength(int length) {
      return new Missing(length);
    }

    @Override
    public int vocabSize() {
      return 0;
    }

    @Override
    public int[] encode(String text) {
      throw refusal();
    }

    @Override
    public long[][] tokenize(List<String> texts, int length) {
      throw refusal();
    }

    private UncheckedIOException refusal() {
      return new UncheckedIOException(new UnsupportedFormatException("no spiece.model or tokenizer.json beside the model: "
          + "give its SentencePiece file with --vocab to embed texts"));
    }
  }
}

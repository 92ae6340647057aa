package io.remoteclip.layout;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.tokenizer.ClipTokenizer;
import io.remoteclip.tokenizer.TextTokenizer;
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
      // ISSUE 22 PART 3 PLUGS IN HERE: SentencePiece (spiece.model, tokenizer.json) with open_clip's pipeline
      // (SENTENCEPIECE_OPEN_CLIP) or transformers' SiglipTokenizer (SENTENCEPIECE_TRANSFORMERS). Until then a
      // SigLIP model embeds images, and texts fail with one line naming the tokenizer file.
      case SENTENCEPIECE_OPEN_CLIP, SENTENCEPIECE_TRANSFORMERS -> new Unavailable(this, 64);
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

  /** A tokenizer that cannot run yet: images still embed, texts fail with one line naming the file. */
  private record Unavailable(TokenizerSpec spec, int contextLength) implements TextTokenizer {
    @Override
    public TextTokenizer withContextLength(int length) {
      return new Unavailable(spec, length);
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
      Path file = spec.file();
      return new UncheckedIOException(new UnsupportedFormatException((file == null ? "(no spiece.model or tokenizer.json "
          + "found; give --vocab)" : file.toString()) + ": SentencePiece tokenizer not available in this build, so "
          + "this SigLIP model can embed images but not texts"));
    }
  }
}

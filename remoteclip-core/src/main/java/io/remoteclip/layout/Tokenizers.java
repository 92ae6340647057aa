package io.remoteclip.layout;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.tokenizer.ClipTokenizer;
import io.remoteclip.tokenizer.TextTokenizer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The one place a model's {@link TokenizerSpec} becomes a {@link TextTokenizer}. */
public final class Tokenizers {
  private Tokenizers() {}

  public static TextTokenizer open(TokenizerSpec spec) throws ModelNotFoundException, DataFormatException {
    return switch (spec.kind()) {
      case CLIP_BPE -> ClipTokenizer.load(spec.file());
      // ISSUE 22 PART 3 PLUGS IN HERE: SentencePiece (spiece.model, tokenizer.json) with open_clip's or
      // transformers' pipeline, as spec.kind() says. Until then text encoding fails with one line; images work.
      case SENTENCEPIECE_OPEN_CLIP, SENTENCEPIECE_TRANSFORMERS -> new Unavailable(spec, 64);
    };
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

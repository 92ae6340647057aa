package io.remoteclip.tokenizer;

import java.util.List;

/**
 * Text to the fixed-length id rows a text tower reads. One seam for every family's tokenizer: CLIP's byte-pair
 * encoder ({@link ClipTokenizer}) and SigLIP's SentencePiece models ({@link FastUnigramTokenizer} for open_clip,
 * {@link SiglipTokenizer} for transformers; {@link Tokenizers} picks one) differ in cleaning, special ids, padding and
 * row length, so the encoder, trainer and exporters see only this. Implementations are immutable and
 * thread-safe.
 */
public interface TextTokenizer {
  /** Length of the rows {@link #tokenize(List)} makes. */
  int contextLength();

  /** The same tokenizer making rows of another length (the model's, which may differ from the file's default). */
  TextTokenizer withContextLength(int length);

  /** Number of ids the tokenizer can produce; a text tower's embedding table must have at least this many rows. */
  int vocabSize();

  /**
   * Special tokens each row frames the text's ids with (CLIP: start and end, 2; SigLIP: {@code </s>}, 1), so a
   * text of {@code encode(text).length + specialTokensPerRow() > length} ids is cut.
   */
  default int specialTokensPerRow() {
    return 2;
  }

  /** Ids of the text without special tokens, padding or length limit (to tell whether a text will be cut). */
  int[] encode(String text);

  /** One row of {@link #contextLength()} ids per text, with the family's special tokens and padding. */
  default long[][] tokenize(List<String> texts) {
    return tokenize(texts, contextLength());
  }

  /** One row of {@code length} ids per text. */
  long[][] tokenize(List<String> texts, int length);
}

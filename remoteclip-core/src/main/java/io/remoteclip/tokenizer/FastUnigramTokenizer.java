package io.remoteclip.tokenizer;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Hugging Face fast (tokenizers-library) Unigram tokenizer called as open_clip's {@code HFTokenizer} calls it:
 * the text cleaned ({@link OpenClipCleaning}, or not at all), encoded by the {@link UnigramPipeline} of a {@code
 * tokenizer.json} or of a {@code spiece.model} converted as transformers' T5 tokenizer does, cut so that the
 * post-processor's tokens ({@code </s>}) fit, and padded to the context length with the pad id.
 *
 * <p>This is open_clip's pipeline for its SigLIP models ({@code clean="canonicalize"}, context 64, pad {@code
 * </s>}): unknown characters become {@code <unk>} (a run of them one {@code <unk>}), the model's byte fallback
 * unused. Immutable and thread-safe.
 */
public final class FastUnigramTokenizer implements TextTokenizer {
  public static final int DEFAULT_CONTEXT_LENGTH = 64;

  private final UnigramPipeline pipeline;
  private final OpenClipCleaning cleaning;
  private final int padId;
  private final int contextLength;

  FastUnigramTokenizer(UnigramPipeline pipeline, OpenClipCleaning cleaning, int padId, int contextLength) {
    this.pipeline = pipeline;
    this.cleaning = cleaning;
    this.padId = padId;
    this.contextLength = contextLength;
  }

  /**
   * open_clip's SigLIP tokenizer from a {@code spiece.model} or a {@code tokenizer.json}: the given cleaning,
   * context {@value #DEFAULT_CONTEXT_LENGTH}, padding and end with {@code </s>}.
   */
  public static FastUnigramTokenizer openClip(Path file, OpenClipCleaning cleaning)
      throws ModelNotFoundException, DataFormatException {
    return Tokenizers.fast(file, cleaning);
  }

  /** The cleaning applied before encoding (null: none). */
  public OpenClipCleaning cleaning() {
    return cleaning;
  }

  /** The text as the pipeline sees it. */
  String clean(String text) {
    return cleaning == null ? text : cleaning.clean(text);
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  @Override
  public FastUnigramTokenizer withContextLength(int length) {
    PaddedRows.checkLength(length);
    return new FastUnigramTokenizer(pipeline, cleaning, padId, length);
  }

  @Override
  public int vocabSize() {
    return pipeline.vocabSize();
  }

  @Override
  public int specialTokensPerRow() {
    return pipeline.prefixIds().length + pipeline.suffixIds().length;
  }

  @Override
  public int[] encode(String text) {
    return pipeline.encode(clean(text));
  }

  @Override
  public long[][] tokenize(List<String> texts, int length) {
    PaddedRows.checkLength(length);
    int[] prefix = pipeline.prefixIds();
    int[] suffix = pipeline.suffixIds();
    long[][] rows = new long[texts.size()][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = PaddedRows.frame(prefix, encode(texts.get(r)), suffix, length, padId);
    }
    return rows;
  }
}

package io.remoteclip.layout;

import java.nio.file.Path;

/**
 * Which tokenizer a model's text tower was trained with, and its file. SigLIP models of the two layouts clean
 * and split text differently (open_clip's HFTokenizer runs ftfy and its own canonicalisation; transformers'
 * SiglipTokenizer neither, and falls back to bytes for unknown characters), so the layout decides the pipeline.
 *
 * @param file the vocabulary ({@code bpe_simple_vocab_16e6.txt.gz}, {@code spiece.model} or {@code tokenizer.json});
 *     null when none was found
 */
public record TokenizerSpec(Kind kind, Path file) {
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
}

package io.remoteclip.model;

/**
 * Text tower: a transformer over token ids, causal and pooled at the end-of-text token in CLIP, bidirectional and
 * pooled at the last position in SigLIP.
 *
 * @param mlpWidth hidden width of the MLPs (4·width except in SigLIP SO400M, 4304)
 */
public record TextConfig(int width, int layers, int heads, int contextLength, int vocabSize, int mlpWidth) {
  public TextConfig {
    if (heads <= 0 || width % heads != 0) {
      throw new IllegalArgumentException("text width=" + width + " is not divisible by heads=" + heads);
    }
  }

  /** A tower with the usual 4× MLP. */
  public TextConfig(int width, int layers, int heads, int contextLength, int vocabSize) {
    this(width, layers, heads, contextLength, vocabSize, 4 * width);
  }
}

package io.remoteclip.model;

/** Text tower: causal transformer over BPE tokens. */
public record TextConfig(int width, int layers, int heads, int contextLength, int vocabSize) {
  public TextConfig {
    if (heads <= 0 || width % heads != 0) {
      throw new IllegalArgumentException("text width=" + width + " is not divisible by heads=" + heads);
    }
  }
}

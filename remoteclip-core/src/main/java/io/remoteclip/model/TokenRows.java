package io.remoteclip.model;

/**
 * Rows of token ids as the text towers take them: padded with zeros to the context length. The text attention
 * is causal, so the features at the end-of-text token do not depend on the padding after it: every engine runs
 * a batch only up to its {@link #longestText} (a short query costs a few positions instead of the whole context).
 */
public final class TokenRows {
  private TokenRows() {}

  /** Positions up to and including the last non-padding token of any row (at least 1). */
  public static int longestText(long[][] tokens) {
    int longest = 1;
    for (long[] row : tokens) {
      for (int j = row.length - 1; j >= longest; j--) {
        if (row[j] != 0) {
          longest = j + 1;
          break;
        }
      }
    }
    return longest;
  }

  /** The first {@code length} ids of every row, row after row. */
  public static long[] flatten(long[][] tokens, int length) {
    long[] flat = new long[tokens.length * length];
    for (int i = 0; i < tokens.length; i++) {
      System.arraycopy(tokens[i], 0, flat, i * length, length);
    }
    return flat;
  }
}

package io.remoteclip.tokenizer;

/** Fixed-length rows of the SentencePiece tokenizers: prefix, ids cut to fit, suffix, then padding. */
final class PaddedRows {
  private PaddedRows() {}

  static void checkLength(int length) {
    if (length < 2 || length > ClipTokenizer.MAX_CONTEXT_LENGTH) {
      throw new IllegalArgumentException(
          "context length must be 2.." + ClipTokenizer.MAX_CONTEXT_LENGTH + ", got " + length);
    }
  }

  /** {@code prefix + ids[:length − |prefix| − |suffix|] + suffix}, padded with {@code padId} to {@code length}. */
  static long[] frame(int[] prefix, int[] ids, int[] suffix, int length, int padId) {
    long[] row = new long[length];
    java.util.Arrays.fill(row, padId);
    int k = 0;
    for (int id : prefix) {
      if (k < length) {
        row[k++] = id;
      }
    }
    int room = Math.max(0, length - prefix.length - suffix.length);
    for (int i = 0; i < Math.min(room, ids.length); i++) {
      row[k++] = ids[i];
    }
    for (int id : suffix) {
      if (k < length) {
        row[k++] = id;
      }
    }
    return row;
  }
}

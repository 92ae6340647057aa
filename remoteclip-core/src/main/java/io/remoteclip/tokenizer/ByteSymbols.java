package io.remoteclip.tokenizer;

/**
 * GPT-2's reversible map from the 256 byte values to printable unicode characters, so that BPE symbols are
 * never whitespace or control characters: printable Latin-1 bytes map to themselves, the other 68 bytes to
 * U+0100 onwards in byte order.
 */
final class ByteSymbols {
  /** Byte values in vocabulary order: id {@code i} (and {@code i + 256} with {@code </w>}) is byte {@code ORDER[i]}. */
  static final int[] ORDER = new int[256];
  /** Symbol character of each byte value. */
  static final char[] CHAR_OF_BYTE = new char[256];
  /** Vocabulary index (0..255) of each byte value. */
  static final int[] INDEX_OF_BYTE = new int[256];
  private static final int[] BYTE_OF_CHAR = new int[0x144];

  static {
    boolean[] printable = new boolean[256];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      if (printable[b]) {
        ORDER[n++] = b;
        CHAR_OF_BYTE[b] = (char) b;
      }
    }
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      if (!printable[b]) {
        ORDER[n++] = b;
        CHAR_OF_BYTE[b] = (char) (256 + extra++);
      }
    }
    java.util.Arrays.fill(BYTE_OF_CHAR, -1);
    for (int i = 0; i < 256; i++) {
      INDEX_OF_BYTE[ORDER[i]] = i;
      BYTE_OF_CHAR[CHAR_OF_BYTE[ORDER[i]]] = ORDER[i];
    }
  }

  private ByteSymbols() {}

  /** The byte a symbol character stands for, or -1 if it is not one of the 256 symbol characters. */
  static int byteOf(char c) {
    return c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
  }

  /** The UTF-8 bytes of {@code piece} written as symbol characters (one char per byte). */
  static String encode(String piece) {
    byte[] utf8 = piece.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    char[] out = new char[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      out[i] = CHAR_OF_BYTE[utf8[i] & 0xFF];
    }
    return new String(out);
  }
}

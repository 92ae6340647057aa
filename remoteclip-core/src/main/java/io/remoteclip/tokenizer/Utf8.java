package io.remoteclip.tokenizer;

/**
 * UTF-8 decoding with Python's {@code errors="replace"}: each maximal invalid subsequence (the longest prefix
 * of a well-formed sequence, or one byte) becomes one U+FFFD, as the Unicode standard recommends.
 */
final class Utf8 {
  private Utf8() {}

  /** UTF-8 bytes of {@code s}, each unpaired surrogate written as U+FFFD (Java would write '?'). */
  static byte[] encode(String s) {
    StringBuilder fixed = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean lone = Character.isHighSurrogate(c)
          ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
          : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
      if (lone && fixed == null) {
        fixed = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (fixed != null) {
        fixed.append(lone ? '\uFFFD' : c);
      }
    }
    return (fixed == null ? s : fixed.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Length of the UTF-8 sequence that starts with byte {@code b} (sentencepiece's OneCharLen table). */
  static int charLength(byte b) {
    int hi = (b & 0xFF) >>> 4;
    return hi < 12 ? 1 : hi < 14 ? 2 : hi == 14 ? 3 : 4;
  }

  static String decodeReplacing(byte[] b) {
    StringBuilder out = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        out.append((char) c);
        i++;
        continue;
      }
      int need;
      int lo = 0x80;
      int hi = 0xBF;
      int cp;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0) {
          lo = 0xA0;
        } else if (c == 0xED) {
          hi = 0x9F;
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0) {
          lo = 0x90;
        } else if (c == 0xF4) {
          hi = 0x8F;
        }
      } else {
        out.append('\uFFFD');
        i++;
        continue;
      }
      int j = i + 1;
      boolean ok = true;
      for (int k = 0; k < need; k++, j++) {
        int cont = j < b.length ? b[j] & 0xFF : -1;
        int min = k == 0 ? lo : 0x80;
        int max = k == 0 ? hi : 0xBF;
        if (cont < min || cont > max) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (cont & 0x3F);
      }
      if (ok) {
        out.appendCodePoint(cp);
      } else {
        out.append('\uFFFD');
      }
      i = j;
    }
    return out.toString();
  }
}

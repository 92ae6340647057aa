package io.remoteclip.tokenizer;

import java.util.Arrays;

/**
 * sentencepiece's {@code normalizer::Normalizer::Normalize} on UTF-8 bytes: user-defined symbols pass through
 * unchanged, everything else is rewritten by the longest matching rule of the precompiled character map (or kept
 * as one character); leading, trailing and repeated spaces are dropped ({@code remove_extra_whitespaces}), a
 * space symbol "▁" is added in front ({@code add_dummy_prefix}, or behind with {@code
 * treat_whitespace_as_suffix}) and spaces become "▁" ({@code escape_whitespaces}). Immutable.
 */
final class SentencePieceNormalizer {
  private static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};
  private static final byte[] REPLACEMENT_CHAR = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private final CharsMap map;
  private final ByteTrie userDefined;
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;
  private final boolean whitespaceAsSuffix;

  SentencePieceNormalizer(SentencePieceModel model, ByteTrie userDefined, boolean addDummyPrefix) {
    this.map = model.charsMap().length == 0 ? null : CharsMap.parse(model.charsMap());
    this.userDefined = userDefined;
    this.addDummyPrefix = addDummyPrefix;
    this.removeExtraWhitespaces = model.removeExtraWhitespaces();
    this.escapeWhitespaces = model.escapeWhitespaces();
    this.whitespaceAsSuffix = model.treatWhitespaceAsSuffix();
  }

  byte[] normalize(byte[] in) {
    Bytes out = new Bytes(in.length * 3 + 3);
    int pos = 0;
    int[] span = new int[3];
    if (removeExtraWhitespaces) {
      while (pos < in.length) {
        byte[] r = prefix(in, pos, span);
        if (span[1] - span[0] != 1 || r[span[0]] != ' ') {
          break;
        }
        pos += span[2];
      }
    }
    if (pos == in.length) {
      return new byte[0];
    }
    if (!whitespaceAsSuffix && addDummyPrefix) {
      addSpace(out);
    }
    boolean prevSpace = removeExtraWhitespaces;
    while (pos < in.length) {
      byte[] r = prefix(in, pos, span);
      int from = span[0];
      int to = span[1];
      while (prevSpace && from < to && r[from] == ' ') {
        from++;
      }
      if (from < to) {
        for (int i = from; i < to; i++) {
          if (escapeWhitespaces && r[i] == ' ') {
            out.add(SPACE_SYMBOL);
          } else {
            out.add(r[i]);
          }
        }
        prevSpace = r[to - 1] == ' ';
      }
      pos += span[2];
      if (!removeExtraWhitespaces) {
        prevSpace = false;
      }
    }
    if (removeExtraWhitespaces) {
      byte[] space = escapeWhitespaces ? SPACE_SYMBOL : new byte[] {' '};
      while (out.endsWith(space)) {
        out.size -= space.length;
      }
    }
    if (whitespaceAsSuffix && addDummyPrefix) {
      addSpace(out);
    }
    return out.toArray();
  }

  private void addSpace(Bytes out) {
    if (escapeWhitespaces) {
      out.add(SPACE_SYMBOL);
    } else {
      out.add((byte) ' ');
    }
  }

  /**
   * {@code NormalizePrefix}: what the text at {@code pos} becomes, as {@code result[span[0]..span[1])}, and how
   * many input bytes it consumes ({@code span[2]}). The result is {@code in} itself where the text is kept.
   */
  private byte[] prefix(byte[] in, int pos, int[] span) {
    if (userDefined != null) {
      int len = userDefined.longestPrefix(in, pos, in.length);
      if (len > 0) {
        return kept(in, pos, len, span);
      }
    }
    if (map != null) {
      long hit = map.longestPrefix(in, pos, in.length);
      if (hit >= 0) {
        byte[] r = map.replacement((int) hit);
        span[0] = 0;
        span[1] = r.length;
        span[2] = (int) (hit >>> 32);
        return r;
      }
    }
    int len = Utf8.charLength(in[pos]);
    if (pos + len > in.length || !validUtf8(in, pos, len)) {
      span[0] = 0;
      span[1] = REPLACEMENT_CHAR.length;
      span[2] = 1;
      return REPLACEMENT_CHAR;
    }
    return kept(in, pos, len, span);
  }

  private static byte[] kept(byte[] in, int pos, int len, int[] span) {
    span[0] = pos;
    span[1] = pos + len;
    span[2] = len;
    return in;
  }

  private static boolean validUtf8(byte[] b, int pos, int len) {
    if (len == 1) {
      return (b[pos] & 0x80) == 0;
    }
    for (int i = 1; i < len; i++) {
      if ((b[pos + i] & 0xC0) != 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Growable byte array. */
  static final class Bytes {
    byte[] data;
    int size;

    Bytes(int capacity) {
      data = new byte[Math.max(capacity, 8)];
    }

    void add(byte b) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = b;
    }

    void add(byte[] b) {
      for (byte x : b) {
        add(x);
      }
    }

    boolean endsWith(byte[] b) {
      if (size < b.length) {
        return false;
      }
      for (int i = 0; i < b.length; i++) {
        if (data[size - b.length + i] != b[i]) {
          return false;
        }
      }
      return true;
    }

    byte[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}

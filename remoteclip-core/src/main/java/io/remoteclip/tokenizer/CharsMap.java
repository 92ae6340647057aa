package io.remoteclip.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A SentencePiece precompiled character map (the normalization rules, e.g. {@code nmt_nfkc}, stored in the model):
 * {@code <u32 trie size><darts-clone double-array trie of UTF-8 keys><NUL-terminated replacement strings>}, each
 * trie value an offset into the strings. The lookups are darts-clone's {@code commonPrefixSearch}, which both
 * sentencepiece and Hugging Face's {@code spm_precompiled} run; they differ in which match they take, so both
 * are offered. Immutable.
 */
final class CharsMap {
  private final int[] units;
  private final byte[] normalized;

  private CharsMap(int[] units, byte[] normalized) {
    this.units = units;
    this.normalized = normalized;
  }

  /** @throws IllegalArgumentException if the blob is too short or its trie size does not fit */
  static CharsMap parse(byte[] blob) {
    if (blob.length <= 4) {
      throw new IllegalArgumentException("blob of " + blob.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    long trieSize = b.getInt() & 0xFFFFFFFFL;
    if (trieSize >= blob.length || trieSize % 4 != 0 || trieSize == 0) {
      throw new IllegalArgumentException("trie size " + trieSize + " does not fit a blob of " + blob.length + " bytes");
    }
    int[] units = new int[(int) (trieSize / 4)];
    b.asIntBuffer().get(units);
    byte[] normalized = new byte[blob.length - 4 - (int) trieSize];
    System.arraycopy(blob, 4 + (int) trieSize, normalized, 0, normalized.length);
    return new CharsMap(units, normalized);
  }

  /**
   * sentencepiece's rule: the longest key that is a prefix of {@code key[from..to)}; returns {@code length << 32
   * | value}, or -1 when none. NUL bytes are ordinary bytes here (the length is given).
   */
  long longestPrefix(byte[] key, int from, int to) {
    return search(key, from, to, true, false);
  }

  /**
   * {@code spm_precompiled}'s {@code transform}: the first (shortest) key that is a prefix of {@code
   * key[from..to)}, the search stopping at a NUL byte; {@code length << 32 | value}, or -1.
   */
  long shortestPrefix(byte[] key, int from, int to) {
    return search(key, from, to, false, true);
  }

  private long search(byte[] key, int from, int to, boolean longest, boolean stopAtNul) {
    long found = -1;
    int nodePos = 0;
    if (units.length == 0) {
      return -1;
    }
    nodePos ^= offset(units[0]);
    for (int i = from; i < to; i++) {
      int c = key[i] & 0xFF;
      if (c == 0 && stopAtNul) {
        break;
      }
      nodePos ^= c;
      if (nodePos < 0 || nodePos >= units.length) {
        break;
      }
      int unit = units[nodePos];
      if (label(unit) != c) {
        break;
      }
      nodePos ^= offset(unit);
      if (nodePos < 0 || nodePos >= units.length) {
        break;
      }
      if (hasLeaf(unit)) {
        found = ((long) (i + 1 - from) << 32) | value(units[nodePos]);
        if (!longest) {
          return found;
        }
      }
    }
    return found;
  }

  /** The replacement stored at {@code value}: bytes up to the next NUL. */
  byte[] replacement(int value) {
    int end = value;
    while (end < normalized.length && normalized[end] != 0) {
      end++;
    }
    if (value >= normalized.length) {
      return new byte[0];
    }
    byte[] out = new byte[end - value];
    System.arraycopy(normalized, value, out, 0, out.length);
    return out;
  }

  private static boolean hasLeaf(int unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static int value(int unit) {
    return unit & 0x7FFFFFFF;
  }

  private static int label(int unit) {
    return unit & 0x800000FF;
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }
}

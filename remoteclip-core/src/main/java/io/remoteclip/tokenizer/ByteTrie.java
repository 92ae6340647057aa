package io.remoteclip.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A trie over the UTF-8 bytes of vocabulary pieces, for the prefix walks of the unigram Viterbi search: {@link
 * #child} steps one byte, {@link #value} is the id stored at a node (-1: none). Children live in one
 * open-addressing table keyed by {@code node << 8 | byte}. A key added twice keeps the last id. Immutable once
 * built.
 */
final class ByteTrie {
  static final int ROOT = 0;

  private int[] values = new int[16];
  private int nodes = 1;
  private long[] keys = new long[64];
  private int[] children = new int[64];
  private int entries;

  ByteTrie() {
    Arrays.fill(values, -1);
    Arrays.fill(keys, -1L);
  }

  void add(String piece, int id) {
    byte[] b = piece.getBytes(StandardCharsets.UTF_8);
    int node = ROOT;
    for (byte x : b) {
      int next = child(node, x & 0xFF);
      if (next < 0) {
        next = newNode();
        put(((long) node << 8) | (x & 0xFF), next);
      }
      node = next;
    }
    values[node] = id;
  }

  /** The child of {@code node} along byte {@code b} (0..255), or -1. */
  int child(int node, int b) {
    long key = ((long) node << 8) | b;
    int mask = keys.length - 1;
    for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return children[i];
      }
      if (k == -1L) {
        return -1;
      }
    }
  }

  int value(int node) {
    return values[node];
  }

  /** Id of the piece whose bytes are {@code b[from..to)}, or -1. */
  int lookup(byte[] b, int from, int to) {
    int node = ROOT;
    for (int i = from; i < to && node >= 0; i++) {
      node = child(node, b[i] & 0xFF);
    }
    return node < 0 ? -1 : values[node];
  }

  /** Length of the longest piece that is a prefix of {@code b[from..to)}, or 0. */
  int longestPrefix(byte[] b, int from, int to) {
    int node = ROOT;
    int best = 0;
    for (int i = from; i < to; i++) {
      node = child(node, b[i] & 0xFF);
      if (node < 0) {
        break;
      }
      if (values[node] >= 0) {
        best = i + 1 - from;
      }
    }
    return best;
  }

  private int newNode() {
    if (nodes == values.length) {
      int old = values.length;
      values = Arrays.copyOf(values, old * 2);
      Arrays.fill(values, old, values.length, -1);
    }
    return nodes++;
  }

  private void put(long key, int child) {
    if ((entries + 1) * 2 > keys.length) {
      long[] oldKeys = keys;
      int[] oldChildren = children;
      keys = new long[oldKeys.length * 2];
      children = new int[oldKeys.length * 2];
      Arrays.fill(keys, -1L);
      entries = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != -1L) {
          insert(oldKeys[i], oldChildren[i]);
        }
      }
    }
    insert(key, child);
  }

  private void insert(long key, int child) {
    int mask = keys.length - 1;
    int i = hash(key) & mask;
    while (keys[i] != -1L) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    children[i] = child;
    entries++;
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29));
  }
}

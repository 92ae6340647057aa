package io.remoteclip.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies ranked merges to one pre-tokenized piece, exactly as open_clip's {@code SimpleTokenizer.bpe}:
 * the piece's UTF-8 bytes become symbols, the last one marked with {@code </w>}, and the lowest-ranked
 * adjacent pair is merged everywhere (left to right, non-overlapping) until no ranked pair remains.
 *
 * <p>Symbols are vocabulary ids; a pair's rank and its merged id are looked up in one hash map. Results are
 * cached per piece in a {@link ConcurrentHashMap} that is cleared when it reaches {@link #CACHE_LIMIT}
 * entries, so memory stays bounded on endless input. Thread-safe.
 */
public final class BytePairEncoder {
  static final int CACHE_LIMIT = 100_000;

  /** (left id, right id) → (rank << 32 | merged id). */
  private final Map<Long, Long> ranks;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  /**
   * @param merges merge list in rank order
   * @param encoder vocabulary string → id (the last id wins for duplicate strings, as in Python's dict)
   */
  BytePairEncoder(List<String[]> merges, Map<String, Integer> encoder) {
    ranks = new HashMap<>(merges.size() * 2);
    for (int r = 0; r < merges.size(); r++) {
      String a = merges.get(r)[0];
      String b = merges.get(r)[1];
      Integer ia = encoder.get(a);
      Integer ib = encoder.get(b);
      Integer merged = encoder.get(a + b);
      if (ia == null || ib == null) {
        continue; // a pair of symbols that can never occur (a merge of unknown symbols): unreachable
      }
      ranks.put(pairKey(ia, ib), ((long) r << 32) | merged);
    }
  }

  static long pairKey(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  /** BPE ids of one piece given as symbol characters (one char per UTF-8 byte, see {@link ByteSymbols}). */
  int[] encode(String symbols) {
    int[] cached = cache.get(symbols);
    if (cached != null) {
      return cached;
    }
    int n = symbols.length();
    int[] word = new int[n];
    for (int i = 0; i < n; i++) {
      int idx = ByteSymbols.INDEX_OF_BYTE[ByteSymbols.byteOf(symbols.charAt(i))];
      word[i] = i == n - 1 ? idx + 256 : idx;
    }
    while (n > 1) {
      long best = Long.MAX_VALUE;
      for (int i = 0; i + 1 < n; i++) {
        Long v = ranks.get(pairKey(word[i], word[i + 1]));
        if (v != null && v < best) {
          best = v;
        }
      }
      if (best == Long.MAX_VALUE) {
        break;
      }
      long bestKey = -1;
      // Find the pair again by its rank: every occurrence of that (first, second) pair is merged.
      for (int i = 0; i + 1 < n; i++) {
        Long v = ranks.get(pairKey(word[i], word[i + 1]));
        if (v != null && v == best) {
          bestKey = pairKey(word[i], word[i + 1]);
          break;
        }
      }
      int first = (int) (bestKey >>> 32);
      int second = (int) bestKey;
      int merged = (int) best;
      int out = 0;
      for (int i = 0; i < n; ) {
        if (i + 1 < n && word[i] == first && word[i + 1] == second) {
          word[out++] = merged;
          i += 2;
        } else {
          word[out++] = word[i++];
        }
      }
      n = out;
    }
    int[] result = java.util.Arrays.copyOf(word, n);
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(symbols, result);
    return result;
  }
}

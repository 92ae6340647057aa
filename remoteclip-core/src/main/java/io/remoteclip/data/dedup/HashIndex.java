package io.remoteclip.data.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds stored hashes within a Hamming distance of a query without comparing against all of them: the 64
 * bits are cut into {@code threshold + 1} blocks, and two hashes within the threshold agree exactly on at
 * least one block (pigeonhole), so only entries sharing a block are compared.
 *
 * @param <T> what each hash belongs to
 */
public final class HashIndex<T> {
  private final int threshold;
  private final int[] blockStart;
  private final List<Map<Long, List<Integer>>> blocks = new ArrayList<>();
  private final List<Long> hashes = new ArrayList<>();
  private final List<T> values = new ArrayList<>();

  /** A stored entry and its distance to the query. */
  public record Match<T>(T value, long hash, int distance) {}

  public HashIndex(int threshold) {
    if (threshold < 0 || threshold > 32) {
      throw new IllegalArgumentException("Hamming threshold must be in 0..32, got " + threshold);
    }
    this.threshold = threshold;
    int n = threshold + 1;
    blockStart = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      blockStart[i] = i * 64 / n;
    }
    for (int i = 0; i < n; i++) {
      blocks.add(new HashMap<>());
    }
  }

  public void add(long hash, T value) {
    int id = values.size();
    hashes.add(hash);
    values.add(value);
    for (int b = 0; b < blocks.size(); b++) {
      blocks.get(b).computeIfAbsent(block(hash, b), k -> new ArrayList<>()).add(id);
    }
  }

  /** The closest stored entry within the threshold (earliest added on ties), or null. */
  public Match<T> nearest(long hash) {
    int best = -1, bestD = Integer.MAX_VALUE;
    for (int b = 0; b < blocks.size(); b++) {
      List<Integer> ids = blocks.get(b).get(block(hash, b));
      if (ids == null) {
        continue;
      }
      for (int id : ids) {
        int d = Long.bitCount(hashes.get(id) ^ hash);
        if (d <= threshold && (d < bestD || (d == bestD && id < best))) {
          best = id;
          bestD = d;
        }
      }
    }
    return best < 0 ? null : new Match<>(values.get(best), hashes.get(best), bestD);
  }

  public int size() {
    return values.size();
  }

  private long block(long hash, int b) {
    int from = blockStart[b], to = blockStart[b + 1];
    long mask = to - from == 64 ? -1L : ((1L << (to - from)) - 1);
    return (hash >>> from) & mask;
  }
}

package io.remoteclip.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, reproducible index selections: stratified train/test splits and K-shot samples. The same seed
 * gives the same indices on every JVM ({@link SplittableRandom} is specified bit for bit).
 */
public final class Splits {
  private Splits() {}

  /** Train and test index lists (each sorted): {@code trainFraction} of every class goes to train. */
  public record TrainTest(int[] train, int[] test) {}

  public static TrainTest stratified(int[] labels, double trainFraction, long seed) {
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new IllegalArgumentException("trainFraction=" + trainFraction + " (must be in (0, 1))");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int[] members : byClass(labels)) {
      shuffle(members, rnd);
      int nTrain = (int) Math.round(members.length * trainFraction);
      if (members.length >= 2) {
        nTrain = Math.max(1, Math.min(members.length - 1, nTrain));
      }
      for (int i = 0; i < members.length; i++) {
        (i < nTrain ? train : test).add(members[i]);
      }
    }
    return new TrainTest(sorted(train), sorted(test));
  }

  /**
   * {@code k} random indices of every class (all of them when a class has fewer), sorted. Classes are
   * visited in label order and each draws from the same seeded generator.
   */
  public static int[] kShot(int[] labels, int k, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException("k=" + k);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Integer> out = new ArrayList<>();
    for (int[] members : byClass(labels)) {
      shuffle(members, rnd);
      for (int i = 0; i < Math.min(k, members.length); i++) {
        out.add(members[i]);
      }
    }
    return sorted(out);
  }

  /** Indices of each label value 0..max, in index order. */
  static List<int[]> byClass(int[] labels) {
    int classes = Arrays.stream(labels).max().orElse(-1) + 1;
    int[] counts = new int[classes];
    for (int l : labels) {
      counts[l]++;
    }
    List<int[]> out = new ArrayList<>();
    int[] fill = new int[classes];
    for (int c = 0; c < classes; c++) {
      out.add(new int[counts[c]]);
    }
    for (int i = 0; i < labels.length; i++) {
      out.get(labels[i])[fill[labels[i]]++] = i;
    }
    return out;
  }

  private static void shuffle(int[] a, SplittableRandom rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static int[] sorted(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /** Rows of {@code m} at {@code idx}. */
  public static float[][] rows(float[][] m, int[] idx) {
    float[][] out = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      out[i] = m[idx[i]];
    }
    return out;
  }

  public static int[] at(int[] v, int[] idx) {
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = v[idx[i]];
    }
    return out;
  }
}

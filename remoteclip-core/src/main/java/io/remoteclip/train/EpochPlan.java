package io.remoteclip.train;

import java.util.SplittableRandom;

/**
 * The order of images and the caption drawn for each in one epoch, a pure function of (seed, epoch):
 * a resumed run replays exactly the batches the interrupted one would have seen. Incomplete last
 * batches are dropped, as open_clip's training loader does.
 */
public final class EpochPlan {
  private final int[] order;
  private final int[] captionChoice;
  private final long sampleSeed;

  public EpochPlan(TrainingSet set, long seed, int epoch) {
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
    int n = set.items().size();
    order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    captionChoice = new int[n];
    for (int i = 0; i < n; i++) {
      captionChoice[i] = rng.nextInt(set.items().get(order[i]).captions().size());
    }
    sampleSeed = rng.nextLong();
  }

  public int batches(int batchSize) {
    return order.length / batchSize;
  }

  /** Index into the training set of the {@code position}-th image of the epoch. */
  public int item(int position) {
    return order[position];
  }

  public int caption(int position) {
    return captionChoice[position];
  }

  /** Seed of the augmentation of the {@code position}-th sample (independent of thread scheduling). */
  public long augmentationSeed(int position) {
    return sampleSeed ^ (0x9E3779B97F4A7C15L * (position + 1));
  }
}

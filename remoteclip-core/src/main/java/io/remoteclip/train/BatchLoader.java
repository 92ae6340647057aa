package io.remoteclip.train;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.Lookahead;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.TrainTransform;
import io.remoteclip.tokenizer.TextTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Decodes, augments and tokenizes the batches of one epoch a few batches ahead of the model (the encode seam's
 * {@link Lookahead} on a pool of loader threads), so the trainer does not wait on I/O when it need not. Each
 * sample's augmentation is seeded by its position in the epoch, so results do not depend on thread scheduling.
 */
final class BatchLoader implements AutoCloseable {
  /** Model input of one batch: {@code n} images (CHW, concatenated) and their tokens. */
  record Batch(float[] pixels, long[][] tokens, int n) {}

  private final TrainingSet set;
  private final TrainTransform transform;
  private final TextTokenizer tokenizer;
  private final int batchSize;
  private final int imageSize;
  private final int prefetch;
  private final ExecutorService pool;
  private EpochPlan plan;
  private Lookahead<Integer, float[]> ahead;
  private int nextBatch;

  BatchLoader(TrainingSet set, TrainTransform transform, int imageSize, TextTokenizer tokenizer, int batchSize, int threads,
      int prefetch) {
    this.set = set;
    this.imageSize = imageSize;
    this.transform = transform;
    this.tokenizer = tokenizer;
    this.batchSize = batchSize;
    this.prefetch = Math.max(1, prefetch);
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "train-loader-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts an epoch at batch {@code firstBatch} (non-zero when resuming). */
  void startEpoch(EpochPlan plan, int firstBatch) {
    this.plan = plan;
    seek(firstBatch);
  }

  /** Restarts the look-ahead at {@code batch}: samples are drawn lazily from there to the end of the epoch. */
  private void seek(int batch) {
    if (ahead != null) {
      ahead.cancel();
    }
    int end = plan.batches(batchSize) * batchSize;
    ahead = new Lookahead<>(IntStream.range(batch * batchSize, end).boxed().iterator(), pool, this::load,
        pos -> set.items().get(plan.item(pos)).image().toString(), prefetch * batchSize);
    nextBatch = batch;
  }

  Batch get(int batch) throws DataFormatException {
    if (batch != nextBatch) {
      seek(batch);
    }
    List<Lookahead.Item<Integer, float[]>> items;
    try {
      items = ahead.next(batchSize);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading a batch", e);
    }
    nextBatch = batch + 1;
    int size = 3 * imageSize * imageSize;
    float[] pixels = new float[batchSize * size];
    List<String> captions = new ArrayList<>(batchSize);
    for (int i = 0; i < items.size(); i++) {
      Lookahead.Item<Integer, float[]> item = items.get(i);
      if (item.failed()) {
        throw new DataFormatException(item.error() + " (remove it from the training captions or fix the file)");
      }
      System.arraycopy(item.value(), 0, pixels, i * size, size);
      int pos = item.input();
      captions.add(set.items().get(plan.item(pos)).captions().get(plan.caption(pos)));
    }
    return new Batch(pixels, tokenizer.tokenize(captions), batchSize);
  }

  private float[] load(int pos) throws IOException, RemoteClipException {
    TrainingSet.Item item = set.items().get(plan.item(pos));
    return transform.apply(ImageDecoder.decode(item.image()), new SplittableRandom(plan.augmentationSeed(pos)));
  }

  @Override
  public void close() {
    if (ahead != null) {
      ahead.cancel();
    }
    pool.shutdownNow();
  }
}

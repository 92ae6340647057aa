package io.remoteclip.train;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.TrainTransform;
import io.remoteclip.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes, augments and tokenizes the batches of one epoch on a thread pool, a few batches ahead of the
 * model, so the trainer does not wait on I/O when it need not. Each sample's augmentation is seeded by
 * its position in the epoch, so results do not depend on thread scheduling.
 */
final class BatchLoader implements AutoCloseable {
  /** Model input of one batch: {@code n} images (CHW, concatenated) and their tokens. */
  record Batch(float[] pixels, long[][] tokens, int n) {}

  private final TrainingSet set;
  private final TrainTransform transform;
  private final ClipTokenizer tokenizer;
  private final int batchSize;
  private final int imageSize;
  private final int prefetch;
  private final ExecutorService pool;
  private final Map<Integer, List<Future<float[]>>> pending = new HashMap<>();
  private EpochPlan plan;
  private int planned;

  BatchLoader(TrainingSet set, TrainTransform transform, int imageSize, ClipTokenizer tokenizer, int batchSize, int threads,
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
    cancelPending();
    this.plan = plan;
    this.planned = firstBatch;
    fill(firstBatch);
  }

  Batch get(int batch) throws DataFormatException {
    fill(batch);
    List<Future<float[]>> futures = pending.remove(batch);
    int size = 3 * imageSize * imageSize;
    float[] pixels = new float[batchSize * size];
    List<String> captions = new ArrayList<>(batchSize);
    try {
      for (int i = 0; i < batchSize; i++) {
        int pos = batch * batchSize + i;
        System.arraycopy(futures.get(i).get(), 0, pixels, i * size, size);
        captions.add(set.items().get(plan.item(pos)).captions().get(plan.caption(pos)));
      }
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof DataFormatException d ? d : new DataFormatException(String.valueOf(c.getMessage()), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading a batch", e);
    }
    fill(batch + 1);
    return new Batch(pixels, tokenizer.tokenize(captions), batchSize);
  }

  private void fill(int from) {
    int last = Math.min(plan.batches(batchSize), from + prefetch);
    for (int b = Math.max(from, planned); b < last; b++) {
      List<Future<float[]>> futures = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        int pos = b * batchSize + i;
        TrainingSet.Item item = set.items().get(plan.item(pos));
        long seed = plan.augmentationSeed(pos);
        futures.add(pool.submit(() -> load(item, seed)));
      }
      pending.put(b, futures);
      planned = b + 1;
    }
  }

  private float[] load(TrainingSet.Item item, long seed) throws DataFormatException {
    try {
      return transform.apply(ImageDecoder.decode(item.image()), new SplittableRandom(seed));
    } catch (IOException | RemoteClipException e) {
      String m = String.valueOf(e.getMessage());
      throw new DataFormatException((m.contains(item.image().toString()) ? m : item.image() + ": " + m)
          + " (remove it from the training captions or fix the file)");
    }
  }

  private void cancelPending() {
    for (List<Future<float[]>> f : pending.values()) {
      f.forEach(x -> x.cancel(true));
    }
    pending.clear();
  }

  @Override
  public void close() {
    cancelPending();
    pool.shutdownNow();
  }
}

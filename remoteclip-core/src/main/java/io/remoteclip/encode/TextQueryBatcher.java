package io.remoteclip.encode;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Text queries of many threads through one text tower: a query waits in a bounded queue, and one worker
 * collects what arrives within a short window (up to a batch) and encodes it in one forward pass, so
 * concurrent queries share the weights' trip through memory instead of queueing for the model one by one.
 * Texts seen recently are answered from an LRU cache without the model. Rows are those of
 * {@link Encoder#encodeTexts} for the text alone (a batch runs up to its longest text; the end-of-text
 * features do not depend on it). Thread-safe.
 */
public final class TextQueryBatcher implements AutoCloseable {
  /**
   * @param window how long the worker waits for more queries after the first (zero: only those already queued)
   * @param maxQueued queries waiting for the model; one more is refused with {@link EncoderBusyException}
   * @param cacheSize texts whose embeddings are kept (least recently used dropped first; 0: no cache)
   * @param maxWait longest a query waits for its embedding before it is refused
   */
  public record Options(Duration window, int maxQueued, int cacheSize, Duration maxWait) {
    public Options {
      if (window.isNegative() || maxQueued < 1 || cacheSize < 0 || maxWait.isNegative() || maxWait.isZero()) {
        throw new IllegalArgumentException("batch window >= 0, queue >= 1, cache >= 0, wait > 0; got " + window + ", "
            + maxQueued + ", " + cacheSize + ", " + maxWait);
      }
    }

    public static Options defaults() {
      return new Options(Duration.ofMillis(2), 256, 1024, Duration.ofSeconds(30));
    }

    public Options withWindow(Duration d) {
      return new Options(d, maxQueued, cacheSize, maxWait);
    }

    public Options withMaxQueued(int n) {
      return new Options(window, n, cacheSize, maxWait);
    }

    public Options withCacheSize(int n) {
      return new Options(window, maxQueued, n, maxWait);
    }

    public Options withMaxWait(Duration d) {
      return new Options(window, maxQueued, cacheSize, d);
    }
  }

  /**
   * Counters since the start: queries asked, answered from the cache, refused (queue full or waited too long),
   * forward passes, and distinct texts the model encoded.
   */
  public record Stats(long requests, long cacheHits, long rejected, long batches, long encoded) {}

  private final Encoder encoder;
  private final int maxBatch;
  private final Options options;
  private final BlockingQueue<Pending> queue;
  private final Map<String, float[]> cache;
  private final Thread worker;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong encoded = new AtomicLong();
  private volatile boolean closed;

  private record Pending(String text, CompletableFuture<float[]> row) {}

  private TextQueryBatcher(Encoder encoder, int maxBatch, Options options) {
    this.encoder = encoder;
    this.maxBatch = Math.max(1, maxBatch);
    this.options = options;
    this.queue = new ArrayBlockingQueue<>(options.maxQueued());
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > options.cacheSize();
      }
    };
    this.worker = new Thread(this::work, "remoteclip-text-queries");
    worker.setDaemon(true);
  }

  /** Starts the worker that encodes batches of at most {@code maxBatch} texts with {@code encoder}. */
  public static TextQueryBatcher start(Encoder encoder, int maxBatch, Options options) {
    TextQueryBatcher b = new TextQueryBatcher(encoder, maxBatch, options);
    b.worker.start();
    return b;
  }

  /** The model id of the encoder the texts go through. */
  public String modelId() {
    return encoder.modelId();
  }

  public Options options() {
    return options;
  }

  public Stats stats() {
    return new Stats(requests.get(), cacheHits.get(), rejected.get(), batches.get(), encoded.get());
  }

  /**
   * The text's embedding row (unnormalised, as {@link Encoder#encodeTexts}); a fresh array the caller may change.
   *
   * @throws EncoderBusyException when the queue is full or the row did not come within {@link Options#maxWait}
   */
  public float[] embed(String text) throws IOException, RemoteClipException {
    requests.incrementAndGet();
    float[] hit = cached(text);
    if (hit != null) {
      cacheHits.incrementAndGet();
      return hit.clone();
    }
    if (closed) {
      throw new IllegalStateException("the text query encoder is closed");
    }
    Pending p = new Pending(text, new CompletableFuture<>());
    if (!queue.offer(p)) {
      rejected.incrementAndGet();
      throw new EncoderBusyException("text queries: " + options.maxQueued() + " already waiting for the model; retry later");
    }
    if (closed && queue.remove(p)) {
      throw new IllegalStateException("the text query encoder is closed");
    }
    try {
      return p.row().get(options.maxWait().toMillis(), TimeUnit.MILLISECONDS).clone();
    } catch (TimeoutException e) {
      p.row().cancel(false); // the worker skips it
      rejected.incrementAndGet();
      throw new EncoderBusyException("text queries: no embedding within " + options.maxWait().toMillis() + " ms; retry later");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.row().cancel(false);
      throw new EncoderBusyException("interrupted while waiting for the model");
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  private static RuntimeException rethrow(Throwable t) throws IOException, RemoteClipException {
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RemoteClipException r) {
      throw r;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    throw new IllegalStateException("text encoding failed: " + t, t);
  }

  private float[] cached(String text) {
    if (options.cacheSize() == 0) {
      return null;
    }
    synchronized (cache) {
      return cache.get(text);
    }
  }

  private void work() {
    try {
      while (!closed) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        batch.add(queue.take());
        long deadline = System.nanoTime() + options.window().toNanos();
        while (batch.size() < maxBatch) {
          long left = deadline - System.nanoTime();
          Pending p = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (p == null) {
            break;
          }
          batch.add(p);
        }
        encode(batch);
      }
    } catch (InterruptedException e) {
      // closing
    } finally {
      List<Pending> left = new ArrayList<>();
      queue.drainTo(left);
      left.forEach(p -> p.row().completeExceptionally(new EncoderBusyException("the text query encoder is closing")));
    }
  }

  /** One forward pass over the distinct texts of {@code batch} that are still wanted and not cached meanwhile. */
  private void encode(List<Pending> batch) {
    Map<String, List<Pending>> byText = new LinkedHashMap<>();
    for (Pending p : batch) {
      if (p.row().isDone()) {
        continue; // its caller gave up waiting
      }
      float[] hit = cached(p.text());
      if (hit != null) {
        p.row().complete(hit);
      } else {
        byText.computeIfAbsent(p.text(), t -> new ArrayList<>()).add(p);
      }
    }
    if (byText.isEmpty()) {
      return;
    }
    List<String> texts = new ArrayList<>(byText.keySet());
    float[][] rows;
    try {
      rows = encoder.encodeTexts(texts, ProgressListener.NONE);
      if (rows.length != texts.size()) {
        throw new IllegalStateException("encoder returned " + rows.length + " rows for " + texts.size() + " texts");
      }
    } catch (Exception | Error e) {
      byText.values().forEach(ps -> ps.forEach(p -> p.row().completeExceptionally(e)));
      return;
    }
    batches.incrementAndGet();
    encoded.addAndGet(texts.size());
    if (options.cacheSize() > 0) {
      synchronized (cache) {
        for (int i = 0; i < texts.size(); i++) {
          cache.put(texts.get(i), rows[i]);
        }
      }
    }
    for (int i = 0; i < texts.size(); i++) {
      for (Pending p : byText.get(texts.get(i))) {
        p.row().complete(rows[i]);
      }
    }
  }

  /** Stops the worker; queries still waiting are refused. Does not close the encoder. */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

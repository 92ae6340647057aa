package io.remoteclip.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.index.TinyModel;
import io.remoteclip.testing.CountingTextEncoder;
import io.remoteclip.testing.Tolerances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batching, the bounded queue and the cache of text queries, on the bundled model. */
class TextQueryBatcherTest {
  private static final TextQueryBatcher.Options NO_CACHE = TextQueryBatcher.Options.defaults().withCacheSize(0);
  private static ClipEncoder model;

  @BeforeAll
  static void open() throws Exception {
    model = TinyModel.open();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static List<String> texts(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("an aerial image of " + "many ".repeat(i % 5) + "tennis courts number " + i);
    }
    return out;
  }

  @Test
  void concurrentQueriesAreBatchedAndGetTheRowsOfOneByOneEncoding() throws Exception {
    List<String> texts = texts(16);
    CountingTextEncoder counted = CountingTextEncoder.gated(model);
    ExecutorService pool = Executors.newFixedThreadPool(texts.size());
    try (TextQueryBatcher batcher = TextQueryBatcher.start(counted, 32, NO_CACHE)) {
      List<Future<float[]>> rows = new ArrayList<>();
      rows.add(pool.submit(() -> batcher.embed(texts.get(0))));
      counted.awaitCalls(1); // the first query is in the model: the other 15 queue up behind it
      CountDownLatch go = new CountDownLatch(1);
      for (String t : texts.subList(1, texts.size())) {
        rows.add(pool.submit(() -> {
          go.await();
          return batcher.embed(t);
        }));
      }
      go.countDown();
      awaitRequests(batcher, texts.size());
      Thread.sleep(100); // past counting the request, into the queue
      counted.open();
      for (int i = 0; i < texts.size(); i++) {
        float[] alone = model.encodeTexts(List.of(texts.get(i)))[0];
        Tolerances.assertRelative(texts.get(i), rows.get(i).get(30, TimeUnit.SECONDS), alone, 1e-6);
      }
      assertEquals(2, counted.calls.get(), "one pass for the first query, one for the 15 that waited");
      assertEquals(15, counted.largestCall.get());
      assertEquals(new TextQueryBatcher.Stats(16, 0, 0, 2, 16), batcher.stats());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFullQueueIsRefusedAtOnce() throws Exception {
    CountingTextEncoder counted = CountingTextEncoder.gated(model);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (TextQueryBatcher batcher = TextQueryBatcher.start(counted, 32, NO_CACHE.withMaxQueued(1).withWindow(Duration.ZERO))) {
      Future<float[]> inModel = pool.submit(() -> batcher.embed("a harbor"));
      counted.awaitCalls(1);
      Future<float[]> queued = pool.submit(() -> batcher.embed("a forest"));
      awaitRequests(batcher, 2);
      Thread.sleep(100);
      long t0 = System.nanoTime();
      EncoderBusyException e = assertThrows(EncoderBusyException.class, () -> batcher.embed("a runway"));
      assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused without waiting");
      assertTrue(e.getMessage().contains("1 already waiting"), e.getMessage());
      counted.open();
      assertArrayEquals(model.encodeTexts(List.of("a harbor"))[0], inModel.get(30, TimeUnit.SECONDS), 1e-6f);
      assertArrayEquals(model.encodeTexts(List.of("a forest"))[0], queued.get(30, TimeUnit.SECONDS), 1e-6f);
      assertEquals(1, batcher.stats().rejected());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aQueryThatWaitsTooLongIsRefused() throws Exception {
    CountingTextEncoder counted = CountingTextEncoder.gated(model);
    try (TextQueryBatcher batcher = TextQueryBatcher.start(counted, 32, NO_CACHE.withMaxWait(Duration.ofMillis(200)))) {
      EncoderBusyException e = assertThrows(EncoderBusyException.class, () -> batcher.embed("a beach"));
      assertTrue(e.getMessage().contains("within 200 ms"), e.getMessage());
      counted.open();
      assertEquals(1, batcher.stats().rejected());
    }
  }

  @Test
  void repeatedQueriesComeFromTheCacheWithoutTheModel() throws Exception {
    CountingTextEncoder counted = CountingTextEncoder.of(model);
    try (TextQueryBatcher batcher = TextQueryBatcher.start(counted, 32,
        TextQueryBatcher.Options.defaults().withCacheSize(2))) {
      float[] first = batcher.embed("a golf course");
      assertEquals(1, counted.calls.get());
      float[] again = batcher.embed("a golf course");
      assertEquals(1, counted.calls.get(), "a cache hit does not call the model");
      assertArrayEquals(first, again, 0f);
      assertNotSame(first, again);
      again[0] += 1; // callers own their rows: the cached one is unchanged
      assertArrayEquals(first, batcher.embed("a golf course"), 0f);
      assertArrayEquals(model.encodeTexts(List.of("a golf course"))[0], first, 1e-6f);

      batcher.embed("a river"); // cache: golf course, river
      batcher.embed("a golf course"); // used: river is now the eldest
      batcher.embed("a stadium"); // evicts river
      assertEquals(3, counted.calls.get());
      batcher.embed("a golf course");
      assertEquals(3, counted.calls.get(), "the recently used entry stayed");
      batcher.embed("a river");
      assertEquals(4, counted.calls.get(), "the least recently used entry was dropped");
      assertEquals(new TextQueryBatcher.Stats(8, 4, 0, 4, 4), batcher.stats());
    }
  }

  private static void awaitRequests(TextQueryBatcher batcher, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batcher.stats().requests() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(n, batcher.stats().requests());
  }
}

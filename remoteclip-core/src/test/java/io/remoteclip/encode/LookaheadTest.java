package io.remoteclip.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seam's queue: input order whatever the threads do, a bounded look-ahead, failures kept with reasons. */
class LookaheadTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void resultsComeInInputOrderDespiteRandomDelays() throws Exception {
    Lookahead<Integer, Integer> ahead = new Lookahead<>(IntStream.range(0, 200).boxed().iterator(), pool, i -> {
      java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(2_000_000));
      return i * i;
    }, String::valueOf, 16);
    List<Integer> seen = new ArrayList<>();
    while (ahead.hasNext()) {
      for (Lookahead.Item<Integer, Integer> item : ahead.next(7)) {
        assertEquals(seen.size(), item.index());
        assertEquals(item.input() * item.input(), item.value());
        seen.add(item.input());
      }
    }
    assertEquals(IntStream.range(0, 200).boxed().toList(), seen);
  }

  @Test
  void inputsAreDrawnOnlyAsRoomFreesUp() throws Exception {
    AtomicInteger drawn = new AtomicInteger();
    Iterator<Integer> counting = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return drawn.get() < 1000;
      }

      @Override
      public Integer next() {
        return drawn.getAndIncrement();
      }
    };
    Lookahead<Integer, Integer> ahead = new Lookahead<>(counting, pool, i -> i, String::valueOf, 10);
    assertEquals(10, drawn.get());
    int handedOut = 0;
    while (ahead.hasNext()) {
      handedOut += ahead.next(3).size();
      assertTrue(ahead.inFlight() <= 10);
      assertTrue(drawn.get() - handedOut <= 10, "drawn " + drawn.get() + ", handed out " + handedOut);
    }
    assertEquals(1000, handedOut);
  }

  @Test
  void failuresAreItemsWithOneLineReasonsNamingTheInput() throws Exception {
    Lookahead<String, String> ahead = new Lookahead<>(List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg").iterator(), pool, s -> {
      if (s.startsWith("b")) {
        throw new DataFormatException("b.jpg: corrupt JPEG: truncated");
      }
      if (s.startsWith("c")) {
        throw new java.nio.file.NoSuchFileException(s);
      }
      if (s.startsWith("d")) {
        throw new IllegalStateException("first line\nsecond line");
      }
      return s.toUpperCase();
    }, s -> s, 2);
    List<Lookahead.Item<String, String>> items = ahead.next(10);
    assertEquals(4, items.size());
    assertEquals("A.JPG", items.get(0).value());
    assertEquals("b.jpg: corrupt JPEG: truncated", items.get(1).error());
    assertEquals("c.jpg: no such file", items.get(2).error());
    assertEquals("d.jpg: first line", items.get(3).error());
    assertTrue(items.get(3).failed() && !items.get(0).failed());
  }
}

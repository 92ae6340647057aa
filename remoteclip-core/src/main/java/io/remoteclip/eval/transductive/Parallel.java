package io.remoteclip.eval.transductive;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * Runs numbered tasks on a few platform threads. Callers keep results independent of the thread count:
 * tasks write disjoint outputs, or per-worker states are merged in an order that does not depend on
 * which worker ran which task.
 */
final class Parallel {
  private Parallel() {}

  static void forEach(int tasks, int threads, IntConsumer body) {
    forEachWithState(tasks, threads, () -> null, (state, task) -> body.accept(task));
  }

  /**
   * Tasks {@code 0..tasks-1}, handed out in increasing order to workers that each own one state from
   * {@code newState}; returns the states of the workers that ran.
   */
  static <S> List<S> forEachWithState(int tasks, int threads, Supplier<S> newState, ObjIntConsumer<S> body) {
    int workers = Math.max(1, Math.min(threads, tasks));
    List<S> states = new ArrayList<>();
    if (workers == 1) {
      S s = newState.get();
      for (int t = 0; t < tasks; t++) {
        body.accept(s, t);
      }
      states.add(s);
      return states;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> running = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      S s = newState.get();
      states.add(s);
      Thread th = new Thread(() -> {
        try {
          for (int t = next.getAndIncrement(); t < tasks && failure.get() == null; t = next.getAndIncrement()) {
            body.accept(s, t);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "transclip-" + w);
      th.setDaemon(true);
      running.add(th);
      th.start();
    }
    for (Thread th : running) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
    if (f != null) {
      throw new IllegalStateException(f);
    }
    return states;
  }

  /** Number of chunks of {@code size} covering {@code n}. */
  static int chunks(int n, int size) {
    return (n + size - 1) / size;
  }
}

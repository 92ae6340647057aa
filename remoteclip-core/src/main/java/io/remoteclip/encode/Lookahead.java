package io.remoteclip.encode;

import io.remoteclip.RemoteClipException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a per-input step (decoding, preprocessing, augmenting) on a thread pool ahead of the consumer and hands
 * the results out in input order. At most {@code lookahead} inputs are in flight, so memory does not grow with
 * the number of inputs, and inputs are drawn from the iterator only as room frees up (they may be produced
 * lazily). A step that throws becomes an {@link Item} with the one-line reason, never an exception of the
 * stream. Not thread-safe: one consumer.
 *
 * @param <I> input
 * @param <O> result of the step
 */
public final class Lookahead<I, O> {
  /** The step run for each input; throws for inputs that cannot be used (the message says why). */
  @FunctionalInterface
  public interface Step<I, O> {
    O apply(I input) throws IOException, RemoteClipException;
  }

  /**
   * One input's outcome: {@code value} or, when the step failed, {@code error} (a message that starts with the
   * input's name). {@code index} counts inputs from 0 in the order they were drawn.
   */
  public record Item<I, O>(long index, I input, O value, String error) {
    public boolean failed() {
      return error != null;
    }
  }

  private final Iterator<? extends I> inputs;
  private final ExecutorService pool;
  private final Step<I, O> step;
  private final Function<? super I, String> name;
  private final int lookahead;
  private final Deque<Future<Item<I, O>>> inFlight = new ArrayDeque<>();
  private long drawn;

  /**
   * @param name how messages name an input (a failure's message is prefixed with it unless it already starts so)
   * @param lookahead inputs in flight at most (at least 1)
   */
  public Lookahead(Iterator<? extends I> inputs, ExecutorService pool, Step<I, O> step, Function<? super I, String> name,
      int lookahead) {
    this.inputs = inputs;
    this.pool = pool;
    this.step = step;
    this.name = name;
    this.lookahead = Math.max(1, lookahead);
    fill();
  }

  public boolean hasNext() {
    return !inFlight.isEmpty();
  }

  /** Inputs submitted and not yet handed out (never above the look-ahead). */
  public int inFlight() {
    return inFlight.size();
  }

  /** The next up-to-{@code size} items, in input order (fewer only at the end). */
  public List<Item<I, O>> next(int size) throws InterruptedException {
    List<Item<I, O>> out = new ArrayList<>(size);
    while (out.size() < size && !inFlight.isEmpty()) {
      try {
        out.add(inFlight.removeFirst().get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("step failed unexpectedly", e.getCause());
      }
      fill();
    }
    return out;
  }

  /** Stops the work not handed out yet (call when the consumer gives up early). */
  public void cancel() {
    for (Future<Item<I, O>> f : inFlight) {
      f.cancel(true);
    }
    inFlight.clear();
  }

  private void fill() {
    while (inFlight.size() < lookahead && inputs.hasNext()) {
      I input = inputs.next();
      long index = drawn++;
      inFlight.addLast(pool.submit(() -> {
        try {
          return new Item<>(index, input, step.apply(input), null);
        } catch (IOException | RemoteClipException | RuntimeException e) {
          return new Item<I, O>(index, input, null, reason(name.apply(input), e));
        }
      }));
    }
  }

  /** {@code e}'s message as one line starting with {@code name}. */
  static String reason(String name, Exception e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      msg = msg.equals(name) ? name + ": no such file" : msg;
    }
    msg = msg.lines().findFirst().orElse(msg);
    return msg.startsWith(name) ? msg : name + ": " + msg;
  }
}

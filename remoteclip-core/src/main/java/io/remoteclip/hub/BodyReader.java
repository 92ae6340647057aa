package io.remoteclip.hub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Pulls a response body chunk by chunk with a time limit per chunk. {@code HttpRequest.timeout} only
 * covers the wait for the headers; a server that stalls in the middle of the body would otherwise
 * block a reader forever.
 */
final class BodyReader implements Flow.Subscriber<List<ByteBuffer>> {
  /** No bytes arrived within the read timeout. */
  static final class StalledException extends IOException {
    StalledException(String message) {
      super(message);
    }
  }

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  /** The next chunk, or {@code null} at the end of the body. */
  @SuppressWarnings("unchecked")
  List<ByteBuffer> next(Duration timeout) throws IOException {
    Object o;
    try {
      o = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new java.io.InterruptedIOException("download interrupted");
    }
    if (o == null) {
      cancel();
      throw new StalledException("no data for " + Durations.format(timeout));
    }
    if (o == END) {
      return null;
    }
    if (o instanceof Throwable t) {
      throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
    }
    Flow.Subscription s = subscription;
    if (s != null) {
      s.request(1);
    }
    return (List<ByteBuffer>) o;
  }

  /** Stops the transfer and frees the connection. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}

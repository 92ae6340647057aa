package io.remoteclip.testing;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.Encoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real encoder with its text calls counted, and optionally held at a gate until the test opens it (to
 * fill queues deterministically). The rows are the wrapped encoder's.
 */
public final class CountingTextEncoder implements Encoder {
  private final Encoder delegate;
  private final CountDownLatch gate;
  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicInteger texts = new AtomicInteger();
  public final AtomicInteger largestCall = new AtomicInteger();

  private CountingTextEncoder(Encoder delegate, boolean gated) {
    this.delegate = delegate;
    this.gate = new CountDownLatch(gated ? 1 : 0);
  }

  public static CountingTextEncoder of(Encoder delegate) {
    return new CountingTextEncoder(delegate, false);
  }

  /** Text calls wait until {@link #open()}. */
  public static CountingTextEncoder gated(Encoder delegate) {
    return new CountingTextEncoder(delegate, true);
  }

  public void open() {
    gate.countDown();
  }

  /** Waits (up to 10 s) until {@code n} text calls have started. */
  public void awaitCalls(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (calls.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + calls.get() + " of " + n + " text calls started");
      }
      Thread.sleep(5);
    }
  }

  @Override
  public String modelId() {
    return delegate.modelId();
  }

  @Override
  public float[][] encodeImages(List<Path> images, ProgressListener progress) throws IOException, RemoteClipException {
    return delegate.encodeImages(images, progress);
  }

  @Override
  public float[][] encodeTexts(List<String> list, ProgressListener progress) throws IOException, RemoteClipException {
    calls.incrementAndGet();
    texts.addAndGet(list.size());
    largestCall.accumulateAndGet(list.size(), Math::max);
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return delegate.encodeTexts(list, progress);
  }
}

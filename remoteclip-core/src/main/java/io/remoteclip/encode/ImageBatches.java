package io.remoteclip.encode;

import io.remoteclip.RemoteClipException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Decodes and preprocesses image files on a thread pool, ahead of the model, and hands them out in
 * input order as batches. At most {@code lookahead} files are in flight, so memory does not grow with the
 * number of files.
 */
final class ImageBatches {
  /** One image file turned into model input (or the reason it could not be). */
  record Item(Path file, float[] pixels, String error) {}

  /** Preprocessing of one file; throws for unreadable images. */
  @FunctionalInterface
  interface Loader {
    float[] load(Path file) throws IOException, RemoteClipException;
  }

  private final List<Path> files;
  private final ExecutorService pool;
  private final Loader loader;
  private final int lookahead;
  private final Deque<Future<Item>> inFlight = new ArrayDeque<>();
  private int next;

  ImageBatches(List<Path> files, ExecutorService pool, Loader loader, int lookahead) {
    this.files = files;
    this.pool = pool;
    this.loader = loader;
    this.lookahead = Math.max(1, lookahead);
    fill();
  }

  boolean hasNext() {
    return !inFlight.isEmpty();
  }

  /** The next up-to-{@code size} items, in input order. */
  List<Item> next(int size) throws InterruptedException {
    List<Item> out = new ArrayList<>(size);
    while (out.size() < size && !inFlight.isEmpty()) {
      try {
        out.add(inFlight.removeFirst().get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("image loader failed unexpectedly", e.getCause());
      }
      fill();
    }
    return out;
  }

  void cancel() {
    for (Future<Item> f : inFlight) {
      f.cancel(true);
    }
    inFlight.clear();
  }

  private void fill() {
    while (inFlight.size() < lookahead && next < files.size()) {
      Path file = files.get(next++);
      inFlight.addLast(pool.submit(() -> {
        try {
          return new Item(file, loader.load(file), null);
        } catch (IOException | RemoteClipException | RuntimeException e) {
          String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          return new Item(file, null, msg.startsWith(file.toString()) ? msg : file + ": " + msg);
        }
      }));
    }
  }
}

package io.remoteclip.scan;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.ImageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Slides a window over a scene: reads each window (only the tiles it touches) as an in-memory raster and streams
 * the windows through the encoder's seam ({@link ClipEncoder#embed}), which preprocesses them as it preprocesses a
 * file of the same pixels, on its decode threads, a bounded number ahead of the model. Memory holds the windows
 * in flight and the score table, never the scene.
 */
public final class SceneScanner {
  private final ClipEncoder encoder;

  public SceneScanner(ClipEncoder encoder) {
    this.encoder = encoder;
  }

  /** Scores every window of {@code grid} over {@code scene}; {@code bands} may be null. */
  public ScanResult scan(Scene scene, WindowGrid grid, BandSelection bands, WindowScorer scorer,
      ProgressListener progress) throws IOException, DataFormatException {
    long start = System.nanoTime();
    int count = grid.count();
    float[][] scores = new float[count][];
    long[] done = {0};
    progress.start("scanning " + scene.file().getFileName(), count);
    try {
      encoder.embed(windows(scene, grid, bands), batch -> {
        if (!batch.failures().isEmpty()) {
          throw new DataFormatException(batch.failures().get(0).message());
        }
        for (var row : batch.rows()) {
          scores[(int) row.index()] = scorer.score(row.embedding());
        }
        done[0] += batch.rows().size();
        progress.update(done[0]);
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (WindowReadFailure e) {
      throw e.failure;
    } catch (RemoteClipException e) {
      throw e instanceof DataFormatException d ? d : new DataFormatException(e.getMessage(), e);
    } finally {
      progress.finish();
    }
    return new ScanResult(grid, scorer.names(), scorer.isZeroShot(), scores, (System.nanoTime() - start) / 1e9);
  }

  /** The windows in grid order, each read when the encoder draws it (the scene is read by one thread). */
  private static Iterator<ImageSource> windows(Scene scene, WindowGrid grid, BandSelection bands) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < grid.count();
      }

      @Override
      public ImageSource next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        var w = grid.window(next++);
        String name = scene.file() + "[" + w.x + "," + w.y + "," + w.width + "x" + w.height + "]";
        try {
          return ImageSource.of(name, scene.readImage(w, bands));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (DataFormatException e) {
          throw new WindowReadFailure(e);
        }
      }
    };
  }

  /** Carries a window's read failure out of the iterator. */
  private static final class WindowReadFailure extends RuntimeException {
    final DataFormatException failure;

    WindowReadFailure(DataFormatException failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }
  }
}

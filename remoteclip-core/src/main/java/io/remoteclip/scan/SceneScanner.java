package io.remoteclip.scan;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.SceneWindows;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.image.BandSelection;
import java.io.IOException;
import java.io.UncheckedIOException;

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
    return scan(scene, grid, null, bands, scorer, progress);
  }

  /**
   * Scores the windows of {@code grid} listed in {@code windows} (grid indices; null: all); the others are
   * not read and have no scores.
   */
  public ScanResult scan(Scene scene, WindowGrid grid, int[] windows, BandSelection bands, WindowScorer scorer,
      ProgressListener progress) throws IOException, DataFormatException {
    long start = System.nanoTime();
    float[][] scores = new float[grid.count()][];
    long[] done = {0};
    progress.start("scanning " + scene.location().fileName(), windows == null ? grid.count() : windows.length);
    try {
      encoder.embed(SceneWindows.of(scene, grid, windows, bands), batch -> {
        if (!batch.failures().isEmpty()) {
          throw new DataFormatException(batch.failures().get(0).message());
        }
        for (var row : batch.rows()) {
          int i = (int) row.index();
          scores[windows == null ? i : windows[i]] = scorer.score(row.embedding());
        }
        done[0] += batch.rows().size();
        progress.update(done[0]);
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (SceneWindows.ReadFailure e) {
      throw e.failure();
    } catch (RemoteClipException e) {
      throw e instanceof DataFormatException d ? d : new DataFormatException(e.getMessage(), e);
    } finally {
      progress.finish();
    }
    return new ScanResult(grid, scorer.names(), scorer.isZeroShot(), scores, (System.nanoTime() - start) / 1e9);
  }


}

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
 * The embedding of every window of a grid over a scene: each window read (only the tiles it touches) and
 * streamed through the encoder's seam ({@link ClipEncoder#embed}), preprocessed as a file of the same pixels,
 * a bounded number ahead of the model. What {@code scan} scores and {@code embed --window} writes.
 */
public final class WindowEmbeddings {
  private WindowEmbeddings() {}

  /**
   * Rows in grid order, null for the windows not listed in {@code windows} (grid indices; null: all), which
   * are not read; {@code bands} may be null; {@code task} names the progress bar.
   *
   * @throws DataFormatException the first window the scene cannot give (a corrupt tile), naming the scene
   */
  public static float[][] of(ClipEncoder encoder, Scene scene, WindowGrid grid, int[] windows, BandSelection bands,
      String task, ProgressListener progress) throws IOException, DataFormatException {
    float[][] rows = new float[grid.count()][];
    long[] done = {0};
    progress.start(task, windows == null ? grid.count() : windows.length);
    try {
      encoder.embed(SceneWindows.of(scene, grid, windows, bands), batch -> {
        if (!batch.failures().isEmpty()) {
          throw new DataFormatException(batch.failures().get(0).message());
        }
        for (var row : batch.rows()) {
          int i = (int) row.index();
          rows[windows == null ? i : windows[i]] = row.embedding();
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
    return rows;
  }
}

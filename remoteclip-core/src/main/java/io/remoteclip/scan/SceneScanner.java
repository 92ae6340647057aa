package io.remoteclip.scan;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Slides a window over a scene: reads each window (only the tiles it touches), preprocesses it as the encoder
 * preprocesses a file of the same pixels, encodes a batch at a time and keeps one score row per window. Memory
 * holds one batch of windows and the score table, never the scene.
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
    int batchSize = encoder.batchSize();
    progress.start("scanning " + scene.file().getFileName(), count);
    try {
      List<float[]> batch = new ArrayList<>(batchSize);
      int first = 0;
      for (int i = 0; i < count; i++) {
        DecodedImage window = scene.readImage(grid.window(i), bands);
        batch.add(encoder.preprocess(window));
        if (batch.size() == batchSize || i == count - 1) {
          float[][] rows = encoder.encodePixels(batch);
          for (int k = 0; k < rows.length; k++) {
            scores[first + k] = scorer.score(rows[k]);
          }
          first += rows.length;
          batch.clear();
          progress.update(first);
        }
      }
    } finally {
      progress.finish();
    }
    return new ScanResult(grid, scorer.names(), scorer.isZeroShot(), scores, (System.nanoTime() - start) / 1e9);
  }
}

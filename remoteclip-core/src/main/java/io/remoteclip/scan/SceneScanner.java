package io.remoteclip.scan;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.image.BandSelection;
import java.io.IOException;

/**
 * Slides a window over a scene: every window's embedding ({@link WindowEmbeddings}: read as an in-memory raster,
 * preprocessed as a file of the same pixels, on the encoder's decode threads) scored against the queries or
 * labels. Memory holds the windows in flight and, per window, its embedding and scores, never the scene.
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
    float[][] embeddings = WindowEmbeddings.of(encoder, scene, grid, windows, bands,
        "scanning " + scene.location().fileName(), progress);
    float[][] scores = new float[embeddings.length][];
    for (int i = 0; i < embeddings.length; i++) {
      scores[i] = embeddings[i] == null ? null : scorer.score(embeddings[i]);
    }
    return new ScanResult(grid, scorer.names(), scorer.isZeroShot(), scores, embeddings, (System.nanoTime() - start) / 1e9);
  }
}

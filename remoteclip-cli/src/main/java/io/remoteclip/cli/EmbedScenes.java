package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.index.SceneWindowIndexer;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.scan.WindowEmbeddings;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opengis.referencing.operation.TransformException;

/**
 * {@code embed --window N}: every window of a {@link WindowGrid} over each scene, one row each, read and encoded
 * as {@code scan} and {@code index --window} do ({@link WindowEmbeddings}). A scene is written whole or, when one
 * of its windows cannot be read, not at all (reported and skipped, or the run fails with {@code --strict}).
 */
final class EmbedScenes {
  private final ClipEncoder encoder;
  private final int window;
  private final int stride;
  private final boolean normalize;
  private final boolean strict;

  EmbedScenes(ClipEncoder encoder, int window, int stride, boolean normalize, boolean strict) {
    this.encoder = encoder;
    this.window = window;
    this.stride = stride;
    this.normalize = normalize;
    this.strict = strict;
  }

  /** Scene files of {@code inputs}: files as given, folders walked for .tif/.tiff. */
  static List<RasterLocation> scenes(List<RasterLocation> inputs) throws IOException, DataFormatException {
    List<RasterLocation> scenes = SceneWindowIndexer.scenes(inputs, null);
    if (scenes.isEmpty()) {
      throw new DataFormatException(inputs.get(0) + (inputs.size() > 1 ? " and the other inputs" : "")
          + ": no scenes (.tif, .tiff)");
    }
    return scenes;
  }

  /** Embeds the windows of every scene into {@code out}; returns the scenes that could not be read. */
  /** {@code items}: the STAC item of each scene found through one (rows carry it); empty without STAC. */
  List<ImageEncoding.Failure> embed(List<RasterLocation> scenes, java.util.Map<RasterLocation, io.remoteclip.stac.StacScene> items,
      EmbeddingOutput out) throws IOException, DataFormatException {
    List<ImageEncoding.Failure> failures = new ArrayList<>();
    for (RasterLocation file : scenes) {
      try (Scene scene = Scene.open(file)) {
        if (window > scene.width() || window > scene.height()) {
          throw new DataFormatException(file + ": window of " + window + " px is larger than the " + scene.width() + "x"
              + scene.height() + " scene");
        }
        WindowGrid grid = new WindowGrid(scene.width(), scene.height(), window, stride);
        float[][] rows = WindowEmbeddings.of(encoder, scene, grid, null, encoder.bands(), "embedding " + file.fileName(),
            io.remoteclip.cli.common.ConsoleProgress.stderr());
        Georeferencing geo = scene.georeferencing().orElse(null);
        java.time.Instant acquired = scene.acquisitionTime().orElse(null);
        for (int i = 0; i < rows.length; i++) {
          Footprint fp = Footprint.of(grid.window(i), geo);
          out.add(SceneWindowIndexer.windowKey(file.name(), fp.window()), file.source(), items.get(file), acquired, true,
              fp, normalize ? Vectors.normalized(rows[i]) : rows[i]);
        }
      } catch (TransformException e) {
        throw new DataFormatException(file + ": cannot reproject window corners to WGS84: " + e.getMessage(), e);
      } catch (DataFormatException e) {
        if (strict) {
          throw e;
        }
        failures.add(new ImageEncoding.Failure(Path.of(file.fileName()), e.getMessage()));
      }
    }
    return failures;
  }
}

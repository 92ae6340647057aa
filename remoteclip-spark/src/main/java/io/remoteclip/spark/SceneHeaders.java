package io.remoteclip.spark;

import io.remoteclip.DataFormatException;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.LonLatBox;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.remote.RemoteNotFoundException;
import java.io.FileNotFoundException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.opengis.referencing.operation.TransformException;

/**
 * Reads the header of each scene (its TIFF directory and georeferencing, no pixels) where the tasks run, so
 * that the driver can plan window splits without reading a scene itself. With {@code --bbox} the header's
 * georeferencing also says which windows of the grid meet the box (only those are planned, so only those are
 * read). An unreadable scene is a header with its reason.
 */
final class SceneHeaders implements FlatMapFunction<Iterator<SceneHeaders.Input>, SceneHeaders.Header> {
  /** A scene as listed or named, with the STAC item that named it (null without {@code --stac}). */
  record Input(String location, SceneItem item) implements Serializable {}

  /**
   * @param scene the qualified location ({@code file:/...}, {@code s3a://...}, {@code https://...}), as the
   *     table's paths name it
   * @param windows the grid windows to embed, in grid order, or null for all of them (no {@code --bbox})
   * @param error why the scene cannot be read (one line naming it), else null
   */
  record Header(String scene, long length, long mtimeMs, int width, int height, SceneItem item, int[] windows,
      String error) implements Serializable {
    static Header failed(String scene, String error) {
      return new Header(scene, 0, 0, 0, 0, null, null, error);
    }
  }

  private final EmbedJob.Windows grid;

  SceneHeaders(EmbedJob.Windows grid) {
    this.grid = grid;
  }

  @Override
  public Iterator<Header> call(Iterator<Input> scenes) {
    Configuration conf = ImageSource.ReadFiles.hadoopConf();
    List<Header> out = new ArrayList<>();
    scenes.forEachRemaining(s -> out.add(read(conf, s, grid)));
    return out.iterator();
  }

  static Header read(Configuration conf, Input in, EmbedJob.Windows w) {
    String scene = in.location();
    try {
      SceneStores.Listing st = SceneStores.list(in.location(), conf);
      scene = st.scene();
      if (st.directory()) {
        return Header.failed(scene, scene + ": is a directory, not a scene");
      }
      try (Scene s = Scene.open(SceneStores.location(scene, st.length(), conf))) {
        // refuses a window larger than the scene, in the words SparkErrors.named keeps
        WindowGrid grid = new WindowGrid(s.width(), s.height(), w.size(), w.stride());
        int[] windows = w.box() == null ? null : inBox(scene, s, grid, w.box());
        return new Header(scene, st.length(), st.mtimeMs(), s.width(), s.height(), in.item(), windows, null);
      }
    } catch (RemoteNotFoundException e) {
      return Header.failed(scene, SparkErrors.named(scene, e));
    } catch (FileNotFoundException e) {
      return Header.failed(scene, scene + ": no such file");
    } catch (Exception e) {
      // a damaged file, an unreachable store, SIS refusing the directory: the scene's error row, not the job's end
      return Header.failed(scene, SparkErrors.named(scene, e));
    }
  }

  /** The windows of the grid over {@code s} that meet the box, as {@code index --window --bbox} selects them. */
  private static int[] inBox(String scene, Scene s, WindowGrid grid, LonLatBox box) throws DataFormatException {
    Georeferencing geo = s.georeferencing().orElseThrow(() -> new DataFormatException(scene
        + ": --bbox needs a georeferenced scene; this one has no georeferencing"));
    try {
      return box.windowsOf(grid, geo);
    } catch (TransformException e) {
      throw new DataFormatException(scene + ": cannot reproject window corners to WGS84 for --bbox: " + e.getMessage(), e);
    }
  }
}

package io.remoteclip.spark;

import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.geo.WindowPixels;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.RasterImages;
import io.remoteclip.index.SceneWindowIndexer;
import io.remoteclip.spark.EncodeBatches.Prepared;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * The encode stage of scene windows: (scene, windows) splits in, {@link Tables#ENCODED} rows out, one per
 * window. A task opens each split's scene ({@link SceneStores}: its Hadoop file system, or range requests for
 * http(s) and s3 URIs) and reads only the split's windows (the tiles they touch), one after the other with one
 * reader; windows of a scene are spread over tasks by the plan, not by threads here. An unreadable window is an
 * error row; a scene that cannot be opened, or has changed since the plan, is one error row for its split.
 */
final class WindowPartition implements FlatMapFunction<Iterator<WindowPartition.Split>, Row> {
  /**
   * Windows {@code windows} (indices into the grid over a {@code width x height} scene) of one scene;
   * {@code item}: the STAC item its rows carry, null without {@code --stac}.
   */
  record Split(String scene, long length, long mtimeMs, int width, int height, int[] windows, SceneItem item)
      implements Serializable {}

  private final ModelShipment model;
  private final boolean normalize;
  private final int window;
  private final int stride;
  private final TaskFault fault;

  WindowPartition(ModelShipment model, boolean normalize, int window, int stride, TaskFault fault) {
    this.model = model;
    this.normalize = normalize;
    this.window = window;
    this.stride = stride;
    this.fault = fault;
  }

  @Override
  public Iterator<Row> call(Iterator<Split> splits) throws Exception {
    if (!splits.hasNext()) {
      return Collections.emptyIterator();
    }
    ClipEncoder encoder = ExecutorEncoders.get(model);
    Windows windows = new Windows(splits, ImageSource.ReadFiles.hadoopConf(), encoder, model.bandSelection());
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> windows.closeScene());
    }
    return new EncodeBatches(windows, encoder, null, model, normalize, fault);
  }

  /** Every window of the splits, read in order; a scene is open while its split's windows are drawn. */
  private final class Windows implements Iterator<Supplier<Prepared>> {
    private final Iterator<Split> splits;
    private final Configuration conf;
    private final ClipEncoder encoder;
    private final BandSelection bands;
    private Split split;
    private Scene scene;
    private Georeferencing geo;
    private WindowGrid grid;
    private int next;
    /** A split whose scene could not be opened, reported once. */
    private Prepared failedSplit;

    Windows(Iterator<Split> splits, Configuration conf, ClipEncoder encoder, BandSelection bands) {
      this.splits = splits;
      this.conf = conf;
      this.encoder = encoder;
      this.bands = bands;
    }

    @Override
    public boolean hasNext() {
      while (failedSplit == null && (split == null || next >= split.windows().length)) {
        closeScene();
        if (!splits.hasNext()) {
          return false;
        }
        open(splits.next());
      }
      return true;
    }

    @Override
    public Supplier<Prepared> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Prepared p;
      if (failedSplit != null) {
        p = failedSplit;
        failedSplit = null;
        split = null;
      } else {
        p = read(grid.window(split.windows()[next++]));
      }
      return () -> p; // read here, in order, while the scene is open
    }

    private void open(Split s) {
      split = s;
      next = 0;
      try {
        SceneStores.Listing st = SceneStores.list(s.scene(), conf);
        if (st.length() != s.length() || st.mtimeMs() != s.mtimeMs()) {
          fail(s.scene() + ": changed while the job ran (size or time); run the job again");
          return;
        }
        scene = Scene.open(SceneStores.location(s.scene(), s.length(), conf));
        if (scene.width() != s.width() || scene.height() != s.height()) {
          fail(s.scene() + ": changed while the job ran (" + scene.width() + "x" + scene.height() + ", was " + s.width()
              + "x" + s.height() + "); run the job again");
          return;
        }
        geo = scene.georeferencing().orElse(null);
        grid = new WindowGrid(s.width(), s.height(), window, stride);
      } catch (Exception e) {
        fail(SparkErrors.named(s.scene(), e));
      }
    }

    private void fail(String reason) {
      closeScene();
      failedSplit = Prepared.failed(null, split.scene(), split.length(), split.mtimeMs(), reason);
    }

    private Prepared read(Rectangle w) {
      String key = SceneWindowIndexer.windowKey(split.scene(), w);
      try {
        WindowPixels pixels = scene.read(w);
        var image = RasterImages.of(scene.name(), pixels.raster(), pixels.colors(), bands);
        return new Prepared(pixels.sha256(), key, split.length(), split.mtimeMs(), w.width, w.height, footprint(w),
            encoder.preprocess(image), null, split.item());
      } catch (IOException | io.remoteclip.RemoteClipException e) {
        String msg = SparkErrors.firstLine(e);
        return Prepared.failed(null, key, split.length(), split.mtimeMs(), msg.startsWith(split.scene()) ? msg : key + ": " + msg);
      }
    }

    private Footprint footprint(Rectangle w) {
      if (geo == null) {
        return null;
      }
      try {
        return Footprint.of(w, geo);
      } catch (org.opengis.referencing.operation.TransformException e) {
        return null; // as index --window: the window keeps its pixels, geographic filters pass it by
      }
    }

    void closeScene() {
      if (scene != null) {
        try {
          scene.close();
        } catch (IOException e) {
          // read-only: nothing is lost
        }
        scene = null;
      }
    }
  }
}

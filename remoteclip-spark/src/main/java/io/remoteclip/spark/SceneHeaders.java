package io.remoteclip.spark;

import io.remoteclip.geo.Scene;
import java.io.FileNotFoundException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Reads the header of each scene (its TIFF directory and georeferencing, no pixels) where the tasks run, so
 * that the driver can plan window splits without reading a scene itself. An unreadable scene is a header with
 * its reason.
 */
final class SceneHeaders implements FlatMapFunction<Iterator<String>, SceneHeaders.Header> {
  /**
   * @param scene the qualified location ({@code file:/...}, {@code s3a://...}), as the table's paths name it
   * @param error why the scene cannot be read (one line naming it), else null
   */
  record Header(String scene, long length, long mtimeMs, int width, int height, String error) implements Serializable {
    static Header failed(String scene, String error) {
      return new Header(scene, 0, 0, 0, 0, error);
    }
  }

  @Override
  public Iterator<Header> call(Iterator<String> scenes) {
    Configuration conf = ImageSource.ReadFiles.hadoopConf();
    List<Header> out = new ArrayList<>();
    scenes.forEachRemaining(s -> out.add(read(conf, s)));
    return out.iterator();
  }

  static Header read(Configuration conf, String location) {
    String scene = location;
    try {
      Path p = new Path(location);
      FileStatus st = p.getFileSystem(conf).getFileStatus(p);
      scene = st.getPath().toString();
      if (st.isDirectory()) {
        return Header.failed(scene, scene + ": is a directory, not a scene");
      }
      try (Scene s = Scene.open(new HadoopScene(scene, st.getLen(), conf))) {
        return new Header(scene, st.getLen(), st.getModificationTime(), s.width(), s.height(), null);
      }
    } catch (FileNotFoundException e) {
      return Header.failed(scene, scene + ": no such file");
    } catch (Exception e) {
      // a damaged file, an unreachable store, SIS refusing the directory: the scene's error row, not the job's end
      String msg = SparkErrors.firstLine(e);
      return Header.failed(scene, msg.startsWith(scene) ? msg : scene + ": " + msg);
    }
  }
}

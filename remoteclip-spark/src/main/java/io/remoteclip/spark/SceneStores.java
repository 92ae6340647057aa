package io.remoteclip.spark;

import io.remoteclip.remote.RasterLocation;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Where a task reads a scene's bytes: {@code http(s)://} and {@code s3://} URIs through the project's remote
 * reading ({@link RasterLocation.Remote}: range requests, time-outs, retries, as the CLI reads them), any other
 * location through its Hadoop file system ({@link HadoopScene}: file:, hdfs:, s3a:). Either way a window costs
 * the reads of the tiles it touches, never the whole file.
 */
final class SceneStores {
  /**
   * What a listing says of a scene.
   *
   * @param scene the location rows name it by: the Hadoop-qualified path, or the URI as given
   * @param mtimeMs modification time in ms (0 when an HTTP server sends no Last-Modified)
   */
  record Listing(String scene, long length, long mtimeMs, boolean directory) {}

  private SceneStores() {}

  /**
   * @throws java.io.FileNotFoundException no such file or object ({@link io.remoteclip.remote.RemoteNotFoundException}
   *     for a 404, its message naming the URI)
   * @throws IllegalArgumentException a malformed remote URI, with a one-line message naming it
   */
  static Listing list(String location, Configuration conf) throws IOException {
    if (RasterLocation.isRemote(location)) {
      RasterLocation remote = RasterLocation.parse(location);
      RasterLocation.Stat st = remote.stat();
      return new Listing(remote.name(), st.bytes(), st.modified(), false);
    }
    Path p = new Path(location);
    FileStatus st = p.getFileSystem(conf).getFileStatus(p);
    return new Listing(st.getPath().toString(), st.getLen(), st.getModificationTime(), st.isDirectory());
  }

  /** The scene {@link #list} named {@code scene}, {@code length} bytes long, to open with {@code Scene.open}. */
  static RasterLocation location(String scene, long length, Configuration conf) {
    return RasterLocation.isRemote(scene) ? RasterLocation.parse(scene) : new HadoopScene(scene, length, conf);
  }
}

package io.remoteclip.spark;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for every test of the module (starting one costs seconds): two task threads, and up
 * to three attempts per task, which local mode only allows in its {@code local[threads,maxFailures]} form.
 */
final class SparkTests {
  private static SparkSession session;

  private SparkTests() {}

  static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSession.builder().master("local[2,3]").appName("remoteclip-spark-tests")
          .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          // Every test's run shares this context, and files shipped with --ship files stay registered in it: runs
          // whose models have files of the same name (config.json, spiece.model) but other contents would
          // otherwise fail every later task ("exists and does not match contents"), where a user's JVM runs once.
          .config("spark.files.overwrite", "true").getOrCreate();
    }
    return session;
  }

  /**
   * Stops the shared session, for a test that needs this JVM's one SparkContext elsewhere (a cluster's driver);
   * the next {@link #session()} starts it again.
   */
  static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  /** The bundled remoteclip-mini, shipped by path (local mode). */
  static ModelShipment mini() throws Exception {
    var resolved = ModelResolver.fromEnvironment().resolve("remoteclip-mini", null, ProgressListener.NONE);
    return ModelShipment.ship(session(), resolved, ClipEncoder.Options.defaults(), "remoteclip-mini", null, null,
        ModelShipment.Delivery.SHARED, 1, 2, null);
  }

  /** Small RGB PNGs and JPEGs of random pixels (seeded), of a few sizes. */
  static void writeImages(Path dir, int n, long seed) throws Exception {
    Files.createDirectories(dir);
    Random rnd = new Random(seed);
    for (int i = 0; i < n; i++) {
      int w = 40 + rnd.nextInt(60);
      int h = 40 + rnd.nextInt(60);
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          img.setRGB(x, y, rnd.nextInt(1 << 24));
        }
      }
      String fmt = i % 2 == 0 ? "png" : "jpg";
      ImageIO.write(img, fmt, dir.resolve(String.format("img-%02d.%s", i, fmt)).toFile());
    }
  }
}

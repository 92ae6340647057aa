package io.remoteclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.Main;
import io.remoteclip.encode.EmbeddingTable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What {@code remoteclip embed --normalize} writes for the same files: the reference the Spark rows must equal. */
final class CliReference {
  private CliReference() {}

  static Map<String, float[]> embed(Path images, Path npy) throws Exception {
    return embed(images, npy, new String[0]);
  }

  /** As {@link #embed(Path, Path)} with a model's options ({@code --model DIR} ...) in front. */
  static Map<String, float[]> embed(Path images, Path npy, String... modelOptions) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("embed"));
    args.addAll(java.util.List.of(modelOptions));
    args.addAll(java.util.List.of("--images", images.toString(), "--normalize", "--out", npy.toString()));
    int code = Main.run(args.toArray(String[]::new));
    assertEquals(0, code, "remoteclip embed exit code");
    EmbeddingTable t = EmbeddingTable.read(npy);
    Map<String, float[]> out = new HashMap<>();
    for (int i = 0; i < t.keys().size(); i++) {
      out.put(Path.of(t.keys().get(i)).toAbsolutePath().normalize().toString(), t.rows()[i]);
    }
    return out;
  }

  /** {@code file:/a/b.png} (Spark's listing) to {@code /a/b.png}. */
  static Path localPath(String sparkPath) {
    return Path.of(new org.apache.hadoop.fs.Path(sparkPath).toUri().getPath());
  }

  static void assertClose(float[] expected, float[] actual, String what, double atol) {
    assertTrue(expected != null, "no CLI row for " + what);
    assertEquals(expected.length, actual.length, what + ": dimension");
    double max = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      if (d > max) {
        max = d;
        at = i;
      }
    }
    assertTrue(max <= atol, what + ": max |spark - cli| = " + max + " at " + at + " (atol " + atol + ")");
  }
}

package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.testing.BundledModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opengis.referencing.operation.MathTransform;

/**
 * {@code index SCENE --window}: one document per window of a UTM scene, re-runs add nothing, and
 * {@code search --bbox} returns exactly the windows an independent reprojection puts in the box.
 */
class IndexScenesCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;


  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void windowsOfAScene() throws Exception {
    // 3 x 2 UCM-like tiles of 256 px, 0.5 m pixels, UTM 33N (EPSG:32633) at 15 E / 36.1 N.
    BufferedImage mosaic = TestScenes.mosaic();
    Path scene = tmp.resolve("scenes/scene.tif");
    java.nio.file.Files.createDirectories(scene.getParent());
    TestScenes.writeUtm(scene, mosaic);
    String idx = tmp.resolve("idx").toString();
    String model = BundledModel.dir().toString();

    CliRun first = run("index", scene.toString(), "--index", idx, "--window", "256", "--stride", "128", "--model", model);
    assertEquals(0, first.code(), first.err());
    // (768 - 256) / 128 + 1 = 5 columns, (512 - 256) / 128 + 1 = 3 rows
    assertTrue(first.out().contains("15 windows: 15 added"), first.out());
    CliRun again = run("index", scene.toString(), "--index", idx, "--window", "256", "--stride", "128");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("0 added, 0 re-embedded, 0 refreshed, 0 removed, 15 unchanged"), again.out());

    MathTransform toWgs84 = CRS.findOperation(CRS.forCode("EPSG:32633"), CommonCRS.WGS84.normalizedGeographic(), null)
        .getMathTransform();
    double[] box = {15.0025, 36.0, 15.01, 36.2};
    TreeSet<String> expected = new TreeSet<>();
    for (int y = 0; y <= 256; y += 128) {
      for (int x = 0; x <= 512; x += 128) {
        double[] c = {500_000 + x * 0.5, 4_000_000 - (y + 256) * 0.5, 500_000 + (x + 256) * 0.5, 4_000_000 - y * 0.5};
        double[] pts = {c[0], c[1], c[2], c[1], c[2], c[3], c[0], c[3]};
        double[] ll = new double[8];
        toWgs84.transform(pts, 0, ll, 0, 4);
        double minLon = Math.min(Math.min(ll[0], ll[2]), Math.min(ll[4], ll[6]));
        double maxLon = Math.max(Math.max(ll[0], ll[2]), Math.max(ll[4], ll[6]));
        if (minLon <= box[2] && maxLon >= box[0]) {
          expected.add("scene.tif#x=" + x + ",y=" + y + ",w=256,h=256");
        }
      }
    }
    assertTrue(!expected.isEmpty() && expected.size() < 15, expected.toString());
    CliRun search = run("search", "an airport", "--index", idx, "-k", "50", "--json", "--bbox",
        String.format(Locale.ROOT, "%s,%s,%s,%s", box[0], box[1], box[2], box[3]));
    assertEquals(0, search.code(), search.err());
    JsonNode results = JSON.readTree(search.out()).get("results");
    TreeSet<String> got = new TreeSet<>();
    for (JsonNode h : results) {
      got.add(Path.of(h.get("path").asText()).getFileName().toString());
      assertEquals(4, h.get("lonlat_bounds").size(), h.toString());
      assertEquals(256, h.get("width").asInt());
    }
    assertEquals(expected, got);

    CliRun noWindow = run("index", scene.toString(), "--index", idx, "--stride", "128");
    assertEquals(2, noWindow.code(), noWindow.err());
    assertTrue(noWindow.err().contains("--stride needs --window"), noWindow.err());
    CliRun tooBig = run("index", scene.toString(), "--index", tmp.resolve("idx2").toString(), "--window", "1024", "--model", model);
    assertEquals(ErrorReporter.DATA_ERR, tooBig.code(), tooBig.err());
    assertTrue(tooBig.err().contains("scene.tif") && tooBig.err().contains("larger than the 768x512 scene"), tooBig.err());
    assertFalse(tooBig.err().contains("\tat "), tooBig.err());
  }
}

package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.geo.GeoTiffWriter;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code scan} end to end on the built-in model over a GeoTIFF mosaic of drawn UCM-like tiles: the files it
 * writes, a window's score equal to {@code embed} on the same pixels saved as a PNG, and bad input.
 */
class ScanCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AffineTransform UTM = new AffineTransform(0.5, 0, 0, -0.5, 500_000, 4_000_000);
  @TempDir static Path tmp;
  private static BufferedImage mosaic;
  private static Path scene;

  private record Run(int code, String out, String err) {
    void assertOneLineError(int expected, String mentions) {
      assertEquals(expected, code, err);
      List<String> lines = err.strip().lines().filter(l -> !l.startsWith("scanning ")).toList();
      assertEquals(1, lines.size(), err);
      assertTrue(lines.get(0).startsWith("remoteclip: ") && lines.get(0).contains(mentions), err);
      assertFalse(err.contains("\tat "), err);
    }
  }

  @BeforeAll
  static void writeScene() throws Exception {
    mosaic = TestScenes.mosaic();
    scene = tmp.resolve("scene.tif");
    TestScenes.writeUtm(scene, mosaic);
  }

  private static Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(1, List.of("--model", BundledModel.dir().toString()));
    CommandLine cmd = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void queriesWriteGeoJsonHeatMapAndQuicklookAndWindowsEqualEmbedOnTheCrop() throws Exception {
    Path out = tmp.resolve("queries");
    Run r = run("scan", "--query", "a dense forest", "--query", "airplanes at an airport", "--window", "256",
        "--stride", "128", "--top-k", "3", "--json", "--out", out.toString(), scene.toString());
    assertEquals(0, r.code, r.err);
    JsonNode report = JSON.readTree(r.out);
    assertEquals(15, report.get("windows").asInt(), "5 x 3 windows of 256 every 128 over 768 x 512");
    assertEquals("EPSG:32633", report.get("crs").asText());

    JsonNode fc = JSON.readTree(out.resolve("windows.geojson").toFile());
    assertEquals("FeatureCollection", fc.get("type").asText());
    assertEquals(6, fc.get("features").size(), "top 3 of each of 2 queries");
    JsonNode best = fc.get("features").get(0);
    assertEquals("Polygon", best.get("geometry").get("type").asText());
    assertEquals(5, best.get("geometry").get("coordinates").get(0).size());
    JsonNode props = best.get("properties");
    assertEquals("a dense forest", props.get("query").asText());
    assertEquals(1, props.get("rank").asInt());
    assertEquals("EPSG:32633", props.get("crs").asText());
    JsonNode pw = props.get("pixel_window");
    Rectangle window = new Rectangle(pw.get("x").asInt(), pw.get("y").asInt(), pw.get("width").asInt(),
        pw.get("height").asInt());
    // Native ring: the window's corners through the geotransform.
    JsonNode ul = props.get("native_coordinates").get(0).get(0);
    assertEquals(500_000 + 0.5 * window.x, ul.get(0).asDouble(), 1e-9);
    assertEquals(4_000_000 - 0.5 * window.y, ul.get(1).asDouble(), 1e-9);

    // The same pixels saved as a PNG, embedded by `embed`: the cosine to the query is the window's score.
    Path crop = tmp.resolve("crop.png");
    ImageIO.write(mosaic.getSubimage(window.x, window.y, window.width, window.height), "png", crop.toFile());
    Path img = tmp.resolve("crop.npy");
    assertEquals(0, run("embed", "--images", crop.toString(), "--out", img.toString()).code);
    Path texts = Files.writeString(tmp.resolve("q.txt"), "a dense forest\n");
    Path txt = tmp.resolve("q.npy");
    assertEquals(0, run("embed", "--texts", texts.toString(), "--out", txt.toString()).code);
    double cosine = cos(Npy.readMatrix(img)[0], Npy.readMatrix(txt)[0]);
    assertEquals(cosine, props.get("score").asDouble(), 1e-6, "window score vs embed on the crop");

    // The heat map: one float band per query, one cell per window, lying on the scene.
    try (Scene heat = Scene.open(out.resolve("heatmap.tif"))) {
      WindowGrid grid = new WindowGrid(768, 512, 256, 128);
      assertEquals(grid.columns(), heat.width());
      assertEquals(grid.rows(), heat.height());
      assertEquals(2, heat.bands());
      AffineTransform expected = new AffineTransform(UTM);
      expected.concatenate(grid.cellToPixel());
      assertEquals(expected, heat.georeferencing().orElseThrow().gridToCrs());
      assertEquals("EPSG:32633", heat.georeferencing().orElseThrow().crsName());
      int cell = (window.y / 128) * grid.columns() + window.x / 128;
      float stored = heat.read(new Rectangle(cell % grid.columns(), cell / grid.columns(), 1, 1)).raster()
          .getSampleFloat(0, 0, 0);
      assertEquals((float) props.get("score").asDouble(), stored, 0f);
    }
    BufferedImage look = ImageIO.read(out.resolve("quicklook.png").toFile());
    assertEquals(768, look.getWidth());
  }

  @Test
  void labelsWindowMetresAndPixelCoordinates() throws Exception {
    Path out = tmp.resolve("labels");
    Run r = run("scan", "--labels", "forest,airplane", "--window-m", "128", "--threshold", "0", "--json",
        "--out", out.toString(), scene.toString());
    assertEquals(0, r.code, r.err);
    JsonNode report = JSON.readTree(r.out);
    assertEquals(256, report.get("window").asInt(), "128 m at 0.5 m per pixel");
    JsonNode fc = JSON.readTree(out.resolve("windows.geojson").toFile());
    assertEquals(6, fc.get("features").size(), "every window counts once, for its best label");
    for (JsonNode f : fc.get("features")) {
      assertTrue(f.get("properties").get("score").asDouble() >= 0.5, "the best of two labels");
    }

    Path plain = tmp.resolve("plain.tif");
    GeoTiffWriter.write(plain, mosaic, List.of(), null, GeoTiffWriter.Options.striped());
    Path plainOut = tmp.resolve("plain-out");
    r = run("scan", "--query", "a forest", "--window", "256", "--out", plainOut.toString(), plain.toString());
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.contains("no georeferencing (pixel coordinates)"), r.out);
    JsonNode pfc = JSON.readTree(plainOut.resolve("windows.geojson").toFile());
    assertFalse(pfc.get("georeferenced").asBoolean());
    assertTrue(pfc.get("features").get(0).get("geometry").isNull());
  }

  @Test
  void stagingLeftByAKilledScanIsRemovedAndAConcurrentScansIsKept() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("after-kill"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path killed = staged(out, ".scan-" + gone.pid() + "-1234");
    Path older = staged(out, ".scan-5551234");
    Path concurrent = staged(out, ".scan-" + ProcessHandle.current().pid() + "-99");
    Path notOurs = staged(out, ".scan-notes");
    Run r = run("scan", "--query", "a forest", "--window", "256", "--overwrite", "--out", out.toString(), scene.toString());
    assertEquals(0, r.code, r.err);
    assertFalse(Files.exists(killed), "a dead process's staging is removed");
    assertFalse(Files.exists(older), "so is an unnamed one from an earlier version");
    assertTrue(Files.isRegularFile(concurrent.resolve(io.remoteclip.scan.ScanOutputs.GEOJSON)), "a live one is kept");
    assertTrue(Files.exists(notOurs), "a name not of scan's form is left alone");
    assertTrue(Files.isRegularFile(out.resolve(io.remoteclip.scan.ScanOutputs.GEOJSON)));
  }

  /** A staging directory as a killed scan leaves it: a partial file, untouched for two minutes. */
  private static Path staged(Path out, String name) throws Exception {
    Path dir = Files.createDirectories(out.resolve(name));
    Files.writeString(dir.resolve(io.remoteclip.scan.ScanOutputs.GEOJSON), "{\"type\":");
    Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(120)));
    return dir;
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws Exception {
    Path out = tmp.resolve("bad");
    run("scan", "--query", "x", "--window", "600", "--out", out.toString(), scene.toString())
        .assertOneLineError(2, "larger than the 768x512 scene");
    Path plain = tmp.resolve("plain2.tif");
    GeoTiffWriter.write(plain, mosaic, List.of(), null, GeoTiffWriter.Options.striped());
    run("scan", "--query", "x", "--window-m", "100", "--out", out.toString(), plain.toString())
        .assertOneLineError(2, "--window-m needs a georeferenced scene");
    Path unknown = tmp.resolve("unknown.tif");
    GeoTiffWriter.write(unknown, mosaic, List.of(), new GeoTiffWriter.Tags(UTM, 34463, false),
        GeoTiffWriter.Options.striped());
    run("scan", "--query", "x", "--out", out.toString(), unknown.toString())
        .assertOneLineError(65, "unknown coordinate reference system");
    Path notTiff = Files.writeString(tmp.resolve("notes.tif"), "not a tiff");
    run("scan", "--query", "x", "--out", out.toString(), notTiff.toString()).assertOneLineError(65, "not a TIFF");
    run("scan", "--out", out.toString(), scene.toString()).assertOneLineError(2, "--query");

    Path corrupt = tmp.resolve("corrupt.tif");
    GeoTiffWriter.write(corrupt, mosaic, List.of(), new GeoTiffWriter.Tags(UTM, 32633, false),
        GeoTiffWriter.Options.tiled(128, "Deflate"));
    byte[] bytes = Files.readAllBytes(corrupt);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 4000; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Files.write(corrupt, bytes);
    run("scan", "--query", "x", "--window", "256", "--out", out.toString(), corrupt.toString())
        .assertOneLineError(65, "corrupt tile");
    assertFalse(Files.exists(out), "nothing written");
  }

  private static double cos(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}

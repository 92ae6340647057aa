package io.remoteclip.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.remote.RemoteIOException;
import io.remoteclip.remote.RemoteNotFoundException;
import io.remoteclip.remote.Transfers;
import io.remoteclip.testing.FixtureServer;
import io.remoteclip.testing.FixtureServer.Behaviour;
import java.awt.Rectangle;
import java.awt.image.Raster;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenes over HTTP: a GDAL-made 4096² COG served by a loopback server that honours {@code Range} and logs what
 * it sends. Windows read over HTTP equal the same windows read from disk sample for sample; the windows inside
 * a box over 1/16 of the scene cost a small share of the file's bytes (the server's count, not ours); and
 * 404, 403, a body cut short, a refused connection and a striped TIFF each give one line naming the URI.
 */
class RemoteSceneTest {
  private static final int SIZE = 4096;
  @TempDir static Path tmp;
  private static Path cog;
  private static byte[] cogBytes;
  private FixtureServer server;
  private final List<String> warnings = new ArrayList<>();

  @BeforeAll
  static void makeCog() throws Exception {
    Cogs.requireGdal();
    cog = Cogs.cog(tmp.resolve("scene-cog.tif"), SIZE);
    cogBytes = Files.readAllBytes(cog);
    System.setProperty("remoteclip.http.retries", "2");
  }

  @AfterAll
  static void restore() {
    System.clearProperty("remoteclip.http.retries");
  }

  @BeforeEach
  void startServer() throws Exception {
    server = FixtureServer.start();
    server.serve("/scene.tif", cogBytes);
    Transfers.reset();
    Transfers.warnTo(warnings::add);
  }

  @org.junit.jupiter.api.AfterEach
  void stopServer() {
    server.close();
    Transfers.warnTo(w -> System.err.println("remoteclip: warning: " + w));
  }

  private RasterLocation remote(String path) {
    return RasterLocation.parse(server.url(path));
  }

  @Test
  void windowsOverHttpEqualTheSameWindowsFromDiskBitForBit() throws Exception {
    try (Scene local = Scene.open(cog); Scene http = Scene.open(remote("/scene.tif"))) {
      assertEquals(local.width(), http.width());
      assertEquals(local.bands(), http.bands());
      assertEquals(local.georeferencing().get().gridToCrs(), http.georeferencing().get().gridToCrs());
      for (Rectangle w : List.of(new Rectangle(0, 0, 256, 256), new Rectangle(1000, 1900, 300, 224),
          new Rectangle(SIZE - 224, SIZE - 224, 224, 224))) {
        assertSameSamples(local.read(w).raster(), http.read(w).raster());
      }
      assertSameSamples(local.overview(512).raster(), http.overview(512).raster());
    }
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void windowsInsideABoxOverASixteenthOfTheSceneReadLittleOfTheFile() throws Exception {
    LonLatBox box = LonLatBox.parse(Cogs.bbox(1024, 1024, 1024, 1024));
    try (Scene http = Scene.open(remote("/scene.tif"))) {
      WindowGrid grid = new WindowGrid(SIZE, SIZE, 256, 256);
      int[] windows = box.windowsOf(grid, http.georeferencing().orElseThrow());
      assertEquals(16, windows.length);
      int n = 0;
      for (Iterator<?> it = SceneWindows.of(http, grid, windows, null); it.hasNext(); it.next()) {
        n++;
      }
      assertEquals(16, n);
    }
    double share = (double) server.bytesSent() / cogBytes.length;
    assertTrue(share <= 0.10, "read " + server.bytesSent() + " of " + cogBytes.length + " bytes");
    Transfers.Summary counted = Transfers.of(server.url("/scene.tif"));
    assertEquals(server.requests("/scene.tif").size(), counted.requests(), "requests counted as the server saw them");
    assertEquals(server.bytesSent(), counted.bytes(), "bytes counted as the server sent them");
    assertEquals(cogBytes.length, counted.size());
    assertTrue(server.requests("/scene.tif").stream().allMatch(r -> r.range() != null && r.range().matches(
        "bytes=\\d+-\\d+")), "every request is a bounded range: " + server.requests());
  }

  @Test
  void missingForbiddenCutShortAndUnreachableGetOneLineNamingTheUri() throws Exception {
    RemoteNotFoundException missing = assertThrows(RemoteNotFoundException.class,
        () -> Scene.open(remote("/missing.tif")));
    assertEquals(server.url("/missing.tif") + ": HTTP 404 (not found)", missing.getMessage());

    server.serve("/forbidden.tif", cogBytes, Behaviour.FORBIDDEN);
    RemoteIOException forbidden = assertThrows(RemoteIOException.class, () -> Scene.open(remote("/forbidden.tif")));
    assertEquals(server.url("/forbidden.tif") + ": HTTP 403 (access denied)", forbidden.getMessage());

    server.serve("/cut.tif", cogBytes, Behaviour.CUT_SHORT);
    RemoteIOException cut = assertThrows(RemoteIOException.class, () -> Scene.open(remote("/cut.tif")));
    assertTrue(cut.getMessage().startsWith(server.url("/cut.tif") + ": the server closed the connection early"),
        cut.getMessage());
    assertTrue(cut.getMessage().endsWith("(3 attempts)"), cut.getMessage());
    assertEquals(3, server.requests("/cut.tif").size(), "retried twice, then gave up");

    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String refused = "http://127.0.0.1:" + closed + "/scene.tif";
    RemoteIOException down = assertThrows(RemoteIOException.class, () -> Scene.open(RasterLocation.parse(refused)));
    assertTrue(down.getMessage().startsWith(refused + ": cannot connect to 127.0.0.1:" + closed), down.getMessage());
    for (Exception e : List.of(missing, forbidden, cut, down)) {
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  @Test
  void a503IsRetriedAndAServerIgnoringRangesIsRefused() throws Exception {
    server.serve("/busy.tif", cogBytes, Behaviour.UNAVAILABLE_FIRST);
    try (Scene s = Scene.open(remote("/busy.tif"))) {
      assertEquals(SIZE, s.width());
    }
    assertEquals(1, Transfers.of(server.url("/busy.tif")).retries());

    server.serve("/whole.tif", cogBytes, Behaviour.IGNORE_RANGE);
    RemoteIOException e = assertThrows(RemoteIOException.class, () -> Scene.open(remote("/whole.tif")));
    assertTrue(e.getMessage().startsWith(server.url("/whole.tif") + ": the server ignores HTTP Range requests"),
        e.getMessage());
    assertTrue(server.bytesSent() < cogBytes.length, "the whole file was not downloaded: " + server.bytesSent());
  }

  @Test
  void aTruncatedCogFailsOnTheMissingTilesNamingTheUri() throws Exception {
    server.serve("/truncated.tif", java.util.Arrays.copyOf(cogBytes, cogBytes.length / 2));
    try (Scene s = Scene.open(remote("/truncated.tif"))) {
      s.read(new Rectangle(0, 0, 256, 256)); // GDAL writes the full-resolution tiles last: the first ones are there
      DataFormatException e = assertThrows(DataFormatException.class,
          () -> s.read(new Rectangle(SIZE - 256, SIZE - 256, 256, 256)));
      assertTrue(e.getMessage().startsWith(server.url("/truncated.tif") + ": corrupt tile or strip"), e.getMessage());
    }
  }

  @Test
  void aStripedTiffOverHttpIsReadWithOneWarning() throws Exception {
    Path striped = Cogs.striped(tmp.resolve("striped.tif"), 512);
    server.serve("/striped.tif", Files.readAllBytes(striped));
    try (Scene local = Scene.open(striped); Scene http = Scene.open(remote("/striped.tif"))) {
      Rectangle w = new Rectangle(100, 200, 224, 224);
      assertSameSamples(local.read(w).raster(), http.read(w).raster());
    }
    try (Scene again = Scene.open(remote("/striped.tif"))) {
      assertEquals(512, again.height());
    }
    assertEquals(List.of(server.url("/striped.tif") + ": a striped TIFF, not a cloud-optimised GeoTIFF: each window"
        + " reads whole strips, so the file is read sequentially (gdal_translate -of COG makes a tiled one)"), warnings);
  }

  private static void assertSameSamples(Raster a, Raster b) {
    assertEquals(a.getWidth(), b.getWidth());
    assertEquals(a.getHeight(), b.getHeight());
    assertEquals(a.getNumBands(), b.getNumBands());
    int[] x = a.getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null);
    int[] y = b.getPixels(0, 0, b.getWidth(), b.getHeight(), (int[]) null);
    assertArrayEquals(x, y);
    assertFalse(java.util.Arrays.stream(x).allMatch(v -> v == 0), "a blank window proves nothing");
  }
}

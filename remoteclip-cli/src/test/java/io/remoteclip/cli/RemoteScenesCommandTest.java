package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.geo.Cogs;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.FixtureServer;
import io.remoteclip.testing.FixtureServer.Behaviour;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan} and {@code index --window} on a GDAL-made 4096² COG served over loopback HTTP (a server that
 * honours {@code Range} and counts what it sends): {@code --bbox} over 1/16 of the scene reads at most 15 % of
 * the file, {@code -v} reports the requests and bytes, a window indexed over HTTP embeds as {@code embed} embeds
 * GDAL's crop of it, and 404, 403, a connection cut short, an unreachable host and a striped TIFF each get one
 * line naming the URI, with nothing written.
 */
class RemoteScenesCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static Path cog;
  private static byte[] cogBytes;
  private static FixtureServer server;

  private record Run(int code, String out, String err) {
    /** The lines on standard error other than progress. */
    List<String> messages() {
      return err.strip().lines().filter(l -> l.startsWith("remoteclip:")).toList();
    }
  }

  @BeforeAll
  static void serve() throws Exception {
    Cogs.requireGdal();
    cog = Cogs.cog(tmp.resolve("scene.tif"), 4096);
    cogBytes = Files.readAllBytes(cog);
    server = FixtureServer.start();
    server.serve("/scene.tif", cogBytes);
    server.serve("/forbidden.tif", cogBytes, Behaviour.FORBIDDEN);
    server.serve("/cut.tif", cogBytes, Behaviour.CUT_SHORT);
    server.serve("/truncated.tif", java.util.Arrays.copyOf(cogBytes, cogBytes.length / 2));
    server.serve("/striped.tif", Files.readAllBytes(Cogs.striped(tmp.resolve("striped.tif"), 512)));
    System.setProperty("remoteclip.http.retries", "1");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    System.clearProperty("remoteclip.http.retries");
  }

  private static Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(1, List.of("--model", BundledModel.dir().toString()));
    io.remoteclip.cli.eval.CliRun r = io.remoteclip.cli.eval.CliRun.of(all);
    return new Run(r.code(), r.out(), r.err());
  }

  /** {@code search} takes the index's own model: no --model. */
  private static final class CliRunWithoutModel {
    static Run search(Path idx, String query) {
      io.remoteclip.cli.eval.CliRun r = io.remoteclip.cli.eval.CliRun.of("search", "--index", idx.toString(), query,
          "-k", "2");
      return new Run(r.code(), r.out(), r.err());
    }
  }

  @Test
  void scanInsideABoxOverASixteenthReadsAtMostFifteenPercentAndVerboseSaysSo() throws Exception {
    long before = server.bytesSent();
    Path out = tmp.resolve("scan-box");
    String uri = server.url("/scene.tif");
    Run r = run("scan", "-v", "--query", "a dense forest", "--window", "256", "--json", "--bbox",
        Cogs.bbox(1024, 1024, 1024, 1024), "--out", out.toString(), uri);
    assertEquals(0, r.code, r.err);
    JsonNode report = JSON.readTree(r.out);
    assertEquals(16, report.get("windows").asInt(), "the 4 x 4 windows of 256 px inside the box");
    assertEquals(uri, report.get("scene").asText());
    long sent = server.bytesSent() - before;
    assertTrue(sent <= 0.15 * cogBytes.length, "sent " + sent + " of " + cogBytes.length + " bytes");
    List<String> fetched = r.messages().stream().filter(l -> l.startsWith("remoteclip: fetched " + uri + ": ")).toList();
    assertEquals(1, fetched.size(), r.err);
    assertTrue(fetched.get(0).matches(".*: \\d+ requests, [0-9.]+ [KM]iB fetched of [0-9.]+ MiB \\([0-9.]+%\\)"),
        fetched.get(0));
    JsonNode features = JSON.readTree(out.resolve("windows.geojson").toFile()).get("features");
    for (JsonNode f : features) {
      JsonNode w = f.get("properties").get("pixel_window");
      assertTrue(w.get("x").asInt() >= 1024 && w.get("x").asInt() < 2048 && w.get("y").asInt() >= 1024
          && w.get("y").asInt() < 2048, f.toString());
    }
  }

  @Test
  void aWindowIndexedOverHttpEmbedsAsEmbedOnGdalsCropOfIt() throws Exception {
    Path idx = tmp.resolve("idx");
    String uri = server.url("/scene.tif");
    Run r = run("index", "--window", "256", "--bbox", Cogs.bbox(512, 768, 512, 256), "--index", idx.toString(), uri);
    assertEquals(0, r.code, r.err);
    assertTrue(r.out.contains(": 2 windows"), r.out);
    Path crop = Cogs.crop(cog, tmp.resolve("crop.tif"), 768, 768, 256, 256);
    Path npy = tmp.resolve("crop.npy");
    Run e = run("embed", "--images", crop.toString(), "--normalize", "--out", npy.toString());
    assertEquals(0, e.code, e.err);
    float[] expected = Npy.readMatrix(npy)[0];
    try (ImageIndex index = ImageIndex.open(idx)) {
      List<String> keys = index.records().stream().map(ImageRecord::path).sorted().toList();
      assertEquals(List.of(uri + "#x=512,y=768,w=256,h=256", uri + "#x=768,y=768,w=256,h=256"), keys);
      ImageRecord window = index.records(true).stream().filter(x -> x.path().endsWith("#x=768,y=768,w=256,h=256"))
          .findFirst().orElseThrow();
      float[] got = window.embedding();
      assertEquals(expected.length, got.length);
      for (int i = 0; i < got.length; i++) {
        assertEquals(expected[i], got[i], 1e-6, "component " + i);
      }
    }
    Run search = CliRunWithoutModel.search(idx, "a forest");
    assertEquals(0, search.code, search.err);
    assertTrue(search.out.contains("  " + uri + "#x="), "hits keyed by the URI: " + search.out);
    Run again = run("index", "--window", "256", "--bbox", Cogs.bbox(512, 768, 512, 256), "--index", idx.toString(), uri);
    assertEquals(0, again.code, again.err);
    assertTrue(again.out.contains("2 unchanged") || again.out.contains("unchanged 2"), again.out);
  }

  @Test
  void missingForbiddenCutShortAndUnreachableGetOneLineAndWriteNothing() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    record Case(String uri, int code, String line) {}
    List<Case> cases = List.of(
        new Case(server.url("/missing.tif"), 66, server.url("/missing.tif") + ": HTTP 404 (not found)"),
        new Case(server.url("/forbidden.tif"), 74, server.url("/forbidden.tif") + ": HTTP 403 (access denied)"),
        new Case(server.url("/cut.tif"), 74, server.url("/cut.tif") + ": the server closed the connection early"),
        new Case("http://127.0.0.1:" + closed + "/scene.tif", 74, "http://127.0.0.1:" + closed
            + "/scene.tif: cannot connect to 127.0.0.1:" + closed));
    for (Case c : cases) {
      Path out = tmp.resolve("never-" + c.code + "-" + Math.abs(c.uri.hashCode()));
      Run r = run("scan", "--query", "a harbour", "--window", "256", "--out", out.toString(), c.uri);
      assertEquals(c.code, r.code, r.err);
      assertEquals(1, r.messages().size(), r.err);
      assertTrue(r.messages().get(0).startsWith("remoteclip: " + c.line), r.err);
      assertFalse(r.err.contains("\tat "), r.err);
      assertFalse(Files.exists(out), "nothing written for " + c.uri);
      Path idx = tmp.resolve("no-index-" + c.code + "-" + Math.abs(c.uri.hashCode()));
      Run i = run("index", "--window", "256", "--index", idx.toString(), c.uri);
      assertEquals(c.code, i.code, i.err);
      assertTrue(i.messages().size() == 1 && i.messages().get(0).startsWith("remoteclip: " + c.line), i.err);
      assertFalse(Files.exists(idx), "no index made for " + c.uri);
    }
  }

  @Test
  void embedAndClassifyTakeImagesOverHttpAsTheyTakeFiles() throws Exception {
    Path png = tmp.resolve("tile.png");
    javax.imageio.ImageIO.write(io.remoteclip.testing.SampleImages.render(101, 256, 256), "png", png.toFile());
    server.serve("/images/tile.png", Files.readAllBytes(png));
    String uri = server.url("/images/tile.png");
    Path local = tmp.resolve("local.npy");
    Path remote = tmp.resolve("remote.npy");
    assertEquals(0, run("embed", "--images", png.toString(), "--out", local.toString()).code);
    Run r = run("embed", "--images", uri, "--out", remote.toString());
    assertEquals(0, r.code, r.err);
    float[] a = Npy.readMatrix(local)[0];
    float[] b = Npy.readMatrix(remote)[0];
    org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0f);
    assertEquals(List.of(uri), Files.readAllLines(tmp.resolve("remote.txt")));
    Run c = run("classify", "--labels", "forest,harbor", uri);
    assertEquals(0, c.code, c.err);
    assertTrue(c.out.startsWith(uri + ":"), c.out);
    Run missing = run("classify", "--labels", "forest,harbor", server.url("/images/none.png"));
    assertEquals(66, missing.code, missing.err);
    assertEquals(List.of("remoteclip: " + server.url("/images/none.png") + ": HTTP 404 (not found)"),
        missing.messages());
  }

  @Test
  void aTruncatedCogFailsOnItsFirstMissingTileNamingTheUriAndWritesNothing() {
    Path out = tmp.resolve("truncated-scan");
    String uri = server.url("/truncated.tif");
    Run r = run("scan", "--query", "a harbour", "--window", "256", "--bbox", Cogs.bbox(3072, 3072, 1024, 1024),
        "--out", out.toString(), uri);
    assertEquals(65, r.code, r.err);
    assertEquals(1, r.messages().size(), r.err);
    assertTrue(r.messages().get(0).startsWith("remoteclip: " + uri + ": corrupt tile or strip"), r.err);
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void aStripedTiffOverHttpIsScannedWithOneWarning() throws Exception {
    Path out = tmp.resolve("striped-scan");
    String uri = server.url("/striped.tif");
    Run r = run("scan", "--query", "a harbour", "--window", "256", "--out", out.toString(), uri);
    assertEquals(0, r.code, r.err);
    assertEquals(List.of("remoteclip: warning: " + uri + ": a striped TIFF, not a cloud-optimised GeoTIFF: each window"
        + " reads whole strips, so the file is read sequentially (gdal_translate -of COG makes a tiled one)"),
        r.messages());
    assertTrue(Files.exists(out.resolve("windows.geojson")));
  }
}

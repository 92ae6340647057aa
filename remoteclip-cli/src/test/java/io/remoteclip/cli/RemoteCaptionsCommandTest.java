package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.geo.Cogs;
import io.remoteclip.testing.FixtureServer;
import io.remoteclip.testing.FixtureServer.Behaviour;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code captions --tile} with {@code --images} an {@code http://} prefix: a GDAL-made COG on a loopback server
 * that honours {@code Range} is cut into the same tiles, with the same captions, as the same file on disk, reading
 * only by ranges; 403 and an unreachable host get one line naming the URI, with nothing written.
 */
class RemoteCaptionsCommandTest {
  @TempDir static Path tmp;
  private static FixtureServer server;
  private static Path labels;
  private static Path local;
  private static long cogBytes;

  @BeforeAll
  static void serve() throws Exception {
    Cogs.requireGdal();
    local = Files.createDirectories(tmp.resolve("images"));
    Path cog = Cogs.cog(local.resolve("P9001.tif"), 1024);
    byte[] bytes = Files.readAllBytes(cog);
    cogBytes = bytes.length;
    labels = Files.createDirectories(tmp.resolve("labelTxt"));
    // DOTA names the image without its extension: the prefix is probed for .png, .jpg, .jpeg, then .tif.
    Files.writeString(labels.resolve("P9001.txt"), String.join("\n",
        "imagesource:GoogleEarth", "gsd:0.5",
        "100 100 180 100 180 160 100 160 plane 0",
        "300 120 360 120 360 200 300 200 plane 0",
        "700 650 900 650 900 700 700 700 ship 0",
        "120 800 200 800 200 880 120 880 storage-tank 1", ""));
    server = FixtureServer.start();
    server.serve("/dota/images/P9001.tif", bytes);
    server.serve("/private/P9001.tif", bytes, Behaviour.FORBIDDEN);
    System.setProperty("remoteclip.http.retries", "1");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    System.clearProperty("remoteclip.http.retries");
  }

  private static CliRun captions(String images, Path out) {
    return CliRun.of("captions", "--format", "dota", "--annotations", labels.toString(), "--images", images,
        "--tile", "512", "--overlap", "0", "--seed", "7", "--out", out.toString());
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  @Test
  void aRemoteSceneIsTiledByRangesIntoTheSameTilesAndCaptionsAsOnDisk() throws Exception {
    Path onDisk = tmp.resolve("on-disk");
    CliRun l = captions(local.toString(), onDisk);
    assertEquals(0, l.code(), l.err());
    Path remote = tmp.resolve("remote");
    String prefix = server.url("/dota/images/");
    int before = server.requests("/dota/images/P9001.tif").size();
    CliRun r = captions(prefix, remote);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("(1 scenes tiled)"), r.out());
    List<Path> tiles = files(remote.resolve("images"));
    assertEquals(files(onDisk.resolve("images")), tiles);
    assertFalse(tiles.isEmpty());
    for (Path t : tiles) {
      assertArrayEquals(Files.readAllBytes(onDisk.resolve("images").resolve(t)),
          Files.readAllBytes(remote.resolve("images").resolve(t)), t.toString());
    }
    assertEquals(Files.readString(onDisk.resolve("captions.csv")), Files.readString(remote.resolve("captions.csv")));
    assertTrue(Files.readString(remote.resolve("captions.jsonl")).contains(prefix + "P9001.tif"),
        "rows name the remote scene");
    List<FixtureServer.Request> reads = server.requests("/dota/images/P9001.tif");
    assertTrue(reads.size() > before);
    for (FixtureServer.Request q : reads.subList(before, reads.size())) {
      assertTrue(q.range() != null && !q.range().equals("bytes=0-"), "every read is a range: " + q);
    }
    assertEquals(3, server.requests().stream().filter(q -> q.path().startsWith("/dota/images/P9001.")
        && !q.path().endsWith(".tif")).count(), "one probe each for .png, .jpg, .jpeg");
    assertTrue(cogBytes > 0);
  }

  @Test
  void aManifestTakesARemotePrefixToo() throws Exception {
    Path onDisk = tmp.resolve("manifest-on-disk");
    assertEquals(0, captions(local.toString(), onDisk).code());
    Path manifest = tmp.resolve("sources.yaml");
    Files.writeString(manifest, "seed: 7\nsources:\n  - {name: dota, format: dota, annotations: labelTxt, images: "
        + server.url("/dota/images/") + ", tile: 512, overlap: 0}\n");
    Path out = tmp.resolve("manifest-remote");
    CliRun r = CliRun.of("captions", "--manifest", manifest.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(Files.readString(onDisk.resolve("captions.csv")), Files.readString(out.resolve("captions.csv")));
  }

  @Test
  void forbiddenAndUnreachableGetOneLineAndWriteNothing() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    record Case(String prefix, String line) {}
    for (Case c : List.of(
        new Case(server.url("/private/"), server.url("/private/P9001.tif") + ": HTTP 403 (access denied)"),
        new Case("http://127.0.0.1:" + closed + "/dota/", "http://127.0.0.1:" + closed + "/dota/P9001.png: cannot connect"))) {
      Path out = tmp.resolve("never-" + Math.abs(c.prefix.hashCode()));
      CliRun r = captions(c.prefix, out);
      assertEquals(74, r.code(), r.err());
      List<String> lines = r.err().strip().lines().filter(x -> x.startsWith("remoteclip:")).toList();
      assertEquals(1, lines.size(), r.err());
      assertTrue(lines.get(0).startsWith("remoteclip: " + c.line), r.err());
      assertFalse(r.err().contains("\tat "), r.err());
      assertFalse(Files.exists(out), "nothing written for " + c.prefix);
    }
  }

  @Test
  void aMissingRemoteSceneIsReportedByItsUri() {
    Path out = tmp.resolve("missing");
    CliRun r = captions(server.url("/nowhere/"), out);
    assertEquals(65, r.code(), r.err());
    assertTrue(r.err().contains("image not found: " + server.url("/nowhere/P9001")), r.err());
    assertFalse(Files.exists(out));
  }
}

package io.remoteclip.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.FixtureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as remote, how locations are named, and whole reads (bounded) against a loopback server. */
class RasterLocationTest {
  @TempDir Path tmp;

  @Test
  void urisOfTheThreeSchemesAreRemoteAndTheRestArePaths() {
    RasterLocation http = RasterLocation.parse("https://example.org/a/b/scene.tif?x=1");
    assertInstanceOf(RasterLocation.Remote.class, http);
    assertEquals("scene.tif", http.fileName());
    assertEquals("https://example.org/a/b/scene.tif?x=1", http.name());
    RasterLocation s3 = RasterLocation.parse("S3://bucket/key/t.tif");
    assertTrue(s3.isRemote() && ((RasterLocation.Remote) s3).isS3());
    assertEquals("t.tif", s3.fileName());
    RasterLocation local = RasterLocation.parse("dir/scene.tif");
    assertEquals(new RasterLocation.Local(Path.of("dir/scene.tif")), local);
    assertFalse(local.isRemote());
    assertEquals(new RasterLocation.Local(Path.of("/tmp/x.tif")), RasterLocation.parse("file:///tmp/x.tif"));
    assertTrue(RasterLocation.isRemote("http://h/x.tif"));
    assertFalse(RasterLocation.isRemote("ftp://h/x.tif"));
    assertFalse(RasterLocation.isRemote("c:/x.tif"));
  }

  @Test
  void unusableUrisAreRefusedNamingThem() {
    assertEquals("s3://bucket: no object key (s3://bucket/key)",
        assertThrows(IllegalArgumentException.class, () -> RasterLocation.parse("s3://bucket")).getMessage());
    assertEquals("http:///x.tif: no host name",
        assertThrows(IllegalArgumentException.class, () -> RasterLocation.parse("http:///x.tif")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RasterLocation.parse("http://h/a b.tif"))
        .getMessage().startsWith("http://h/a b.tif: not a valid URI"));
  }

  @Test
  void readAllFetchesSmallObjectsAndRefusesLargeOnes() throws Exception {
    byte[] body = new byte[200_000];
    new java.util.Random(7).nextBytes(body);
    Path file = Files.write(tmp.resolve("blob.bin"), body);
    try (FixtureServer server = FixtureServer.start()) {
      server.serve("/blob.bin", body);
      RasterLocation remote = RasterLocation.parse(server.url("/blob.bin"));
      assertArrayEquals(body, remote.readAll(1 << 20));
      assertArrayEquals(body, RasterLocation.of(file).readAll(1 << 20));
      assertEquals(body.length, remote.stat().bytes());
      {
        RemoteIOException e = assertThrows(RemoteIOException.class, () -> remote.readAll(1000));
        assertTrue(e.getMessage().startsWith(server.url("/blob.bin") + ": 200000 bytes, more than the 1000"),
            e.getMessage());
      }
    }
  }

  @Test
  void readWithStatReadsOnceAndGivesTheStatOfTheObject() throws Exception {
    byte[] body = new byte[150_000];
    new java.util.Random(11).nextBytes(body);
    Path file = Files.write(tmp.resolve("image.bin"), body);
    try (FixtureServer server = FixtureServer.start()) {
      server.serve("/image.bin", body);
      RasterLocation remote = RasterLocation.parse(server.url("/image.bin"));
      remote.readAll(1 << 20);
      int readAll = server.requests("/image.bin").size();
      RasterLocation.Content c = remote.readWithStat(1 << 20);
      assertEquals(readAll, server.requests("/image.bin").size() - readAll, "no more requests than readAll");
      assertArrayEquals(body, c.bytes());
      assertEquals(remote.stat(), c.stat());
      RasterLocation.Content local = RasterLocation.of(file).readWithStat(1 << 20);
      assertArrayEquals(body, local.bytes());
      assertEquals(RasterLocation.of(file).stat(), local.stat());
      assertThrows(RemoteIOException.class, () -> remote.readWithStat(1000));
      assertThrows(RemoteNotFoundException.class, () -> RasterLocation.parse(server.url("/gone.bin")).readWithStat(1000));
    }
  }
}

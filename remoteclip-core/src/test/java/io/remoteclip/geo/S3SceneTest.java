package io.remoteclip.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.remote.RasterLocation;
import io.remoteclip.remote.RemoteIOException;
import io.remoteclip.remote.RemoteNotFoundException;
import io.remoteclip.remote.Transfers;
import io.remoteclip.testing.FixtureServer;
import io.remoteclip.testing.FixtureServer.Behaviour;
import java.awt.Rectangle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3://} scenes through SIS's S3 file system and the AWS SDK, against a loopback S3-compatible endpoint
 * set the documented way ({@code aws.endpointUrlS3}, the system-property twin of {@code AWS_ENDPOINT_URL_S3};
 * an IP-address endpoint is addressed path-style: {@code /bucket/key}). The SDK signs requests the endpoint does
 * not check; what is checked is that windows come back equal to the file's and that only ranges are fetched.
 */
class S3SceneTest {
  private static final Map<String, String> PROPERTIES = Map.of("aws.accessKeyId", "test", "aws.secretAccessKey",
      "test-secret", "aws.region", "us-east-1");
  @TempDir static Path tmp;
  private static FixtureServer server;
  private static Path cog;

  @BeforeAll
  static void start() throws Exception {
    Cogs.requireGdal();
    cog = Cogs.cog(tmp.resolve("s3-cog.tif"), 1024);
    server = FixtureServer.start();
    server.serve("/scenes/tiles/s3-cog.tif", Files.readAllBytes(cog));
    server.serve("/scenes/private.tif", Files.readAllBytes(cog), Behaviour.FORBIDDEN);
    PROPERTIES.forEach(System::setProperty);
    System.setProperty("aws.endpointUrlS3", "http://127.0.0.1:" + server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    PROPERTIES.keySet().forEach(System::clearProperty);
    System.clearProperty("aws.endpointUrlS3");
  }

  @Test
  void windowsOverS3EqualTheFilesAndComeByRanges() throws Exception {
    Transfers.reset();
    RasterLocation s3 = RasterLocation.parse("s3://scenes/tiles/s3-cog.tif");
    Rectangle w = new Rectangle(300, 500, 256, 256);
    try (Scene local = Scene.open(cog); Scene remote = Scene.open(s3)) {
      assertEquals(local.width(), remote.width());
      assertEquals(local.georeferencing().get().gridToCrs(), remote.georeferencing().get().gridToCrs());
      int[] a = local.read(w).raster().getPixels(0, 0, 256, 256, (int[]) null);
      int[] b = remote.read(w).raster().getPixels(0, 0, 256, 256, (int[]) null);
      assertArrayEquals(a, b);
    }
    var requests = server.requests("/scenes/tiles/s3-cog.tif");
    assertTrue(requests.stream().allMatch(r -> r.range() != null && r.range().matches("bytes=\\d+-\\d+")),
        "the header and the tiles are read by bounded ranges: " + requests);
    Transfers.Summary counted = Transfers.of("s3://scenes/tiles/s3-cog.tif");
    assertTrue(counted.requests() >= 1 && counted.bytes() > 0, counted.line());
    assertEquals(Files.size(cog), counted.size());
  }

  @Test
  void aMissingKeyAndARefusedOneGetOneLineNamingTheUri() {
    RemoteNotFoundException missing = assertThrows(RemoteNotFoundException.class,
        () -> Scene.open(RasterLocation.parse("s3://scenes/none.tif")));
    assertTrue(missing.getMessage().startsWith("s3://scenes/none.tif: S3 status 404"), missing.getMessage());
    RemoteIOException refused = assertThrows(RemoteIOException.class,
        () -> Scene.open(RasterLocation.parse("s3://scenes/private.tif")));
    assertTrue(refused.getMessage().startsWith("s3://scenes/private.tif: S3 status 403"), refused.getMessage());
    assertEquals(1, refused.getMessage().lines().count());
  }
}

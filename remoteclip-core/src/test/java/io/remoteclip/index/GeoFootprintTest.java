package io.remoteclip.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.testing.Fixtures;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoFootprintTest {
  @TempDir Path tmp;

  @Test
  void readsPixelIsAreaBoundsLittleAndBigEndian() throws Exception {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      Path f = tmp.resolve("tile-" + order + ".tif");
      GeoTiffs.write(f, order, 4, 3, 1, 500000.0, 4000000.0, 0.5, 32611, false);
      DecodedImage image = ImageDecoder.decode(f);
      assertEquals(4, image.width(), "the fixture must be a TIFF the decoder accepts");
      GeoFootprint fp = GeoFootprint.read(f).orElseThrow();
      assertEquals("EPSG:32611", fp.crs());
      assertEquals(500000.0, fp.minX(), 1e-9);
      assertEquals(4000000.0, fp.maxY(), 1e-9);
      assertEquals(500002.0, fp.maxX(), 1e-9);
      assertEquals(3999998.5, fp.minY(), 1e-9);
    }
  }

  @Test
  void pixelIsPointShiftsHalfAPixel() throws Exception {
    Path f = tmp.resolve("point.tif");
    GeoTiffs.write(f, ByteOrder.LITTLE_ENDIAN, 2, 2, 1, 100.0, 200.0, 10.0, 3857, true);
    GeoFootprint fp = GeoFootprint.read(f).orElseThrow();
    assertEquals(3857, fp.epsg());
    assertEquals(95.0, fp.minX(), 1e-9);
    assertEquals(205.0, fp.maxY(), 1e-9);
    assertEquals(115.0, fp.maxX(), 1e-9);
    assertEquals(185.0, fp.minY(), 1e-9);
  }

  @Test
  void rotatedRastersGiveTheBoundsOfTheirCorners() throws Exception {
    Path f = tmp.resolve("rotated.tif");
    java.awt.geom.AffineTransform t = new java.awt.geom.AffineTransform();
    t.translate(500_000, 4_000_000);
    t.rotate(Math.toRadians(-90)); // columns run south, rows run west
    t.scale(2, -2);
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(10, 5, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    io.remoteclip.geo.GeoTiffWriter.write(f, img, java.util.List.of(),
        new io.remoteclip.geo.GeoTiffWriter.Tags(t, 32633, false), io.remoteclip.geo.GeoTiffWriter.Options.striped());
    GeoFootprint fp = GeoFootprint.read(f).orElseThrow();
    assertEquals(32633, fp.epsg());
    assertEquals(499_990, fp.minX(), 1e-6);
    assertEquals(500_000, fp.maxX(), 1e-6);
    assertEquals(3_999_980, fp.minY(), 1e-6);
    assertEquals(4_000_000, fp.maxY(), 1e-6);
  }

  @Test
  void plainTiffsAndOtherFormatsHaveNone() throws Exception {
    Path ucmTif = Fixtures.require("data/samples/ucm-tif");
    try (Stream<Path> files = Files.list(ucmTif)) {
      files.limit(5).forEach(f -> {
        try {
          assertTrue(GeoFootprint.read(f).isEmpty(), f + " has no GeoTIFF tags");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }
    Path fake = tmp.resolve("garbage.tif");
    Files.write(fake, new byte[] {'I', 'I', 42, 0, (byte) 0xff, (byte) 0xff, 0, 0});
    assertTrue(GeoFootprint.read(fake).isEmpty());
    assertTrue(GeoFootprint.read(Fixtures.require("data/ucm-captions/images/1.jpg")).isEmpty());
  }

  @Test
  void wktRoundTripsTheBounds() {
    GeoFootprint fp = new GeoFootprint(32611, 500000.0, 3999998.5, 500002.25, 4000000.0);
    assertEquals("POLYGON ((500000.0 3999998.5, 500002.25 3999998.5, 500002.25 4000000.0, 500000.0 4000000.0, "
        + "500000.0 3999998.5))", fp.toWkt());
    assertEquals(fp, GeoFootprint.fromWkt(fp.toWkt(), fp.crs()));
    GeoFootprint unknown = new GeoFootprint(0, -1e-7, 1, 2, 3);
    assertEquals(unknown, GeoFootprint.fromWkt(unknown.toWkt(), "unknown"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> GeoFootprint.fromWkt("POINT (1 2)", "EPSG:4326"));
  }
}

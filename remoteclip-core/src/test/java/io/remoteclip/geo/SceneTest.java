package io.remoteclip.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.ImageMode;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowed reading: every layout and compression gives the stored samples of exactly the window asked for. */
class SceneTest {
  private static final int W = 517;
  private static final int H = 389;
  private static final GeoTiffWriter.Tags UTM = new GeoTiffWriter.Tags(
      new AffineTransform(0.5, 0, 0, -0.5, 500_000, 4_000_000), 32633, false);

  @TempDir Path tmp;

  @Test
  void classicLayoutsAndCompressions() throws Exception {
    BufferedImage img = TestScenes.rgb(W, H);
    List<GeoTiffWriter.Options> layouts = List.of(
        GeoTiffWriter.Options.striped(),
        GeoTiffWriter.Options.striped().withRowsPerStrip(7),
        new GeoTiffWriter.Options("LZW", 0, 13, false),
        new GeoTiffWriter.Options("PackBits", 0, 0, false),
        GeoTiffWriter.Options.tiled(64, null),
        GeoTiffWriter.Options.tiled(128, "Deflate"),
        GeoTiffWriter.Options.tiled(64, "LZW"),
        GeoTiffWriter.Options.tiled(256, "PackBits"));
    for (GeoTiffWriter.Options o : layouts) {
      Path f = tmp.resolve("scene.tif");
      GeoTiffWriter.write(f, img, List.of(), UTM, o);
      try (Scene scene = Scene.open(f)) {
        assertEquals(W, scene.width(), o.toString());
        assertEquals(H, scene.height(), o.toString());
        assertEquals(3, scene.bands(), o.toString());
        assertFalse(scene.isBigTiff());
        checkWindows(scene, o.toString(), 3, false);
      }
    }
  }

  @Test
  void bigTiffTiledAndStripedEightAndSixteenBit() throws Exception {
    Raster rgb = TestScenes.rgb(W, H).getRaster();
    Raster ms = TestScenes.uint16(W, H, 5);
    for (boolean deflate : new boolean[] {false, true}) {
      for (int tile : new int[] {0, 64}) {
        Path f = tmp.resolve("big-" + deflate + "-" + tile + ".tif");
        BigTiffs.write(f, rgb, 8, tile, deflate, UTM);
        try (Scene scene = Scene.open(f)) {
          assertTrue(scene.isBigTiff());
          assertEquals("EPSG:32633", scene.georeferencing().orElseThrow().crsName());
          checkWindows(scene, f.getFileName().toString(), 3, false);
        }
        Path g = tmp.resolve("big16-" + deflate + "-" + tile + ".tif");
        BigTiffs.write(g, ms, 16, tile, deflate, UTM);
        try (Scene scene = Scene.open(g)) {
          assertEquals(5, scene.bands());
          checkWindows(scene, g.getFileName().toString(), 5, true);
        }
      }
    }
  }

  @Test
  void bandSelectionMapsSixteenBitBandsAsForFiles() throws Exception {
    Path f = tmp.resolve("ms.tif");
    BigTiffs.write(f, TestScenes.uint16(W, H, 5), 16, 64, true, UTM);
    BandSelection sel = BandSelection.parse("4,2,0:0:65535");
    try (Scene scene = Scene.open(f)) {
      DataFormatException needed = assertThrows(DataFormatException.class,
          () -> scene.readImage(new Rectangle(0, 0, 8, 8), null));
      assertTrue(needed.getMessage().contains("R,G,B:MIN:MAX"), needed.getMessage());
      DecodedImage win = scene.readImage(new Rectangle(100, 50, 20, 10), sel);
      assertEquals(ImageMode.RGB, win.mode());
      for (int y = 0; y < 10; y++) {
        for (int x = 0; x < 20; x++) {
          for (int c = 0; c < 3; c++) {
            int v = TestScenes.sample16(100 + x, 50 + y, sel.bands()[c]);
            int expected = (int) Math.rint(255.0 * v / 65535);
            assertEquals(expected, win.bytes()[3 * (y * 20 + x) + c] & 0xff);
          }
        }
      }
    }
  }

  /** SIS builds no RGB colour model for 16-bit samples; such scenes are read as embed reads the whole file. */
  @Test
  void sixteenBitRgbWindowsMatchAFullDecode() throws Exception {
    var colors = new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(
        java.awt.color.ColorSpace.CS_sRGB), false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT);
    BufferedImage img = new BufferedImage(colors, (java.awt.image.WritableRaster) TestScenes.uint16(W, H, 3), false, null);
    BandSelection sel = BandSelection.parse("0,1,2:0:65535");
    Rectangle r = new Rectangle(70, 33, 150, 100);
    for (GeoTiffWriter.Options o : List.of(GeoTiffWriter.Options.striped(), GeoTiffWriter.Options.tiled(64, "Deflate"))) {
      Path f = tmp.resolve("rgb16.tif");
      GeoTiffWriter.write(f, img, List.of(), UTM, o);
      DecodedImage full = ImageDecoder.decode(f, sel);
      try (Scene scene = Scene.open(f)) {
        assertEquals(3, scene.bands());
        assertEquals(full.crop(r.x, r.y, r.width, r.height), scene.readImage(r, sel), o.toString());
        assertEquals(TestScenes.sample16(r.x + 5, r.y + 7, 2), scene.read(r).raster().getSample(5, 7, 2), o.toString());
      }
    }
  }

  @Test
  void jpegTilesGoThroughTheJdkPluginAndMatchAFullDecode() throws Exception {
    Path f = tmp.resolve("jpeg.tif");
    GeoTiffWriter.write(f, TestScenes.rgb(W, H), List.of(), UTM, GeoTiffWriter.Options.tiled(64, "JPEG"));
    DecodedImage full = ImageDecoder.decode(f);
    try (Scene scene = Scene.open(f)) {
      Rectangle r = new Rectangle(70, 33, 150, 100);
      assertEquals(full.crop(r.x, r.y, r.width, r.height), scene.readImage(r, null));
    }
  }

  @Test
  void overviewsAreFound() throws Exception {
    Path f = tmp.resolve("cog.tif");
    GeoTiffWriter.write(f, TestScenes.rgb(W, H), List.of(TestScenes.rgb(W / 2, H / 2), TestScenes.rgb(W / 4, H / 4)),
        UTM, GeoTiffWriter.Options.tiled(64, "Deflate"));
    try (Scene scene = Scene.open(f)) {
      assertEquals(3, scene.resolutionLevels());
      // SIS answers with the finest stored level at least as coarse as asked for, or the closest one.
      WindowPixels ov = scene.overview(W / 2 + 1);
      assertTrue(ov.raster().getWidth() <= W / 2 + 1, "overview width " + ov.raster().getWidth());
      // The full-resolution image is still the one windows come from.
      checkWindows(scene, "cog", 3, false);
    }
  }

  @Test
  void gdalCogWithPredictorAndOverviewsAndBigTiffJpeg() throws Exception {
    Gdal.require();
    Path src = tmp.resolve("src.tif");
    GeoTiffWriter.write(src, TestScenes.rgb(W, H), List.of(), UTM, GeoTiffWriter.Options.striped());
    Path cog = tmp.resolve("cog-gdal.tif");
    Gdal.run("gdal_translate", "-q", "-of", "COG", "-co", "COMPRESS=LZW", "-co", "PREDICTOR=2", "-co", "BLOCKSIZE=128",
        "-co", "OVERVIEWS=AUTO", src.toString(), cog.toString());
    try (Scene scene = Scene.open(cog)) {
      assertTrue(scene.resolutionLevels() > 1, "GDAL wrote overviews");
      assertEquals("EPSG:32633", scene.georeferencing().orElseThrow().crsName());
      checkWindows(scene, "GDAL COG", 3, false);
    }
    Path bigJpeg = tmp.resolve("big-jpeg.tif");
    Gdal.run("gdal_translate", "-q", "-co", "BIGTIFF=YES", "-co", "TILED=YES", "-co", "COMPRESS=JPEG", src.toString(),
        bigJpeg.toString());
    try (Scene scene = Scene.open(bigJpeg)) {
      DataFormatException e = assertThrows(DataFormatException.class, () -> scene.read(new Rectangle(0, 0, 8, 8)));
      assertTrue(e.getMessage().startsWith(bigJpeg + ": ") && e.getMessage().contains("JPEG"), e.getMessage());
    }
  }

  @Test
  void badInput() throws Exception {
    Path notTiff = Files.writeString(tmp.resolve("scene.tif"), "hello");
    DataFormatException e = assertThrows(DataFormatException.class, () -> Scene.open(notTiff));
    assertTrue(e.getMessage().startsWith(notTiff + ": not a TIFF"), e.getMessage());

    Path unknownCrs = tmp.resolve("unknown-crs.tif");
    GeoTiffWriter.write(unknownCrs, TestScenes.rgb(64, 64), List.of(),
        new GeoTiffWriter.Tags(new AffineTransform(1, 0, 0, -1, 0, 0), 34463, false), GeoTiffWriter.Options.striped());
    e = assertThrows(DataFormatException.class, () -> Scene.open(unknownCrs));
    assertTrue(e.getMessage().startsWith(unknownCrs + ": ") && e.getMessage().contains("34463"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());

    // A tile whose compressed bytes are damaged: reading a window over it fails with one line.
    Path corrupt = tmp.resolve("corrupt.tif");
    BigTiffs.write(corrupt, TestScenes.rgb(128, 128).getRaster(), 8, 64, true, UTM);
    byte[] bytes = Files.readAllBytes(corrupt);
    for (int i = bytes.length - 2000; i < bytes.length - 100; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Files.write(corrupt, bytes);
    try (Scene scene = Scene.open(corrupt)) {
      e = assertThrows(DataFormatException.class, () -> scene.read(new Rectangle(64, 64, 64, 64)));
      assertTrue(e.getMessage().startsWith(corrupt + ": corrupt tile"), e.getMessage());
      IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
          () -> scene.read(new Rectangle(100, 0, 64, 64)));
      assertTrue(outside.getMessage().contains("outside the 128x128 scene"), outside.getMessage());
    }
  }

  @Test
  void plainTiffIsInPixelCoordinates() throws Exception {
    Path f = tmp.resolve("plain.tif");
    GeoTiffWriter.write(f, TestScenes.rgb(100, 80), List.of(), null, GeoTiffWriter.Options.tiled(32, "LZW"));
    try (Scene scene = Scene.open(f)) {
      assertTrue(scene.georeferencing().isEmpty());
      checkWindows(scene, "plain", 3, false);
    }
  }

  private static void checkWindows(Scene scene, String what, int bands, boolean sixteen) throws Exception {
    Random random = new Random(42);
    for (int k = 0; k < 12; k++) {
      int w = 1 + random.nextInt(Math.min(150, scene.width()));
      int h = 1 + random.nextInt(Math.min(150, scene.height()));
      int x = random.nextInt(scene.width() - w + 1);
      int y = random.nextInt(scene.height() - h + 1);
      if (k == 0) {
        x = scene.width() - w; // the last, partial tile column and row
        y = scene.height() - h;
      }
      Raster r = scene.read(new Rectangle(x, y, w, h)).raster();
      assertEquals(w, r.getWidth(), what);
      assertEquals(h, r.getHeight(), what);
      assertEquals(bands, r.getNumBands(), what);
      for (int yy = 0; yy < h; yy++) {
        for (int xx = 0; xx < w; xx++) {
          for (int b = 0; b < bands; b++) {
            int expected = sixteen ? TestScenes.sample16(x + xx, y + yy, b) : TestScenes.sample8(x + xx, y + yy, b);
            int got = r.getSample(r.getMinX() + xx, r.getMinY() + yy, b);
            if (expected != got) {
              throw new AssertionError(what + ": window " + w + "x" + h + "+" + x + "+" + y + " sample (" + (x + xx)
                  + "," + (y + yy) + "," + b + ") = " + got + ", expected " + expected);
            }
          }
        }
      }
    }
  }
}

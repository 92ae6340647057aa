package io.remoteclip.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GeoTIFF with a TIFF DateTime tag (which SIS turns into a one-cell time axis) opens as the same 2-D scene as
 * the file without the tag: GDAL writes both from one source, and sizes, georeferencing, footprints (against
 * GDAL's geotransform and PROJ's reprojection), pixels and overviews must agree; the tag gives the acquisition time.
 */
class DatedSceneTest {
  private static final int W = 517;
  private static final int H = 389;
  private static final Rectangle WINDOW = new Rectangle(130, 70, 224, 224);

  @TempDir Path tmp;

  @Test
  void dateTimeTagKeepsTheSceneTwoDimensionalAndGivesItsTime() throws Exception {
    Gdal.require();
    AffineTransform rotated = new AffineTransform();
    rotated.translate(320_000, 6_250_000);
    rotated.rotate(Math.toRadians(-30));
    rotated.scale(0.3, -0.3);
    check("utm33n", new GeoTiffWriter.Tags(new AffineTransform(0.5, 0, 0, -0.5, 500_000, 4_000_000), 32633, false));
    check("utm55s-rotated", new GeoTiffWriter.Tags(rotated, 32755, false));
    check("wgs84", new GeoTiffWriter.Tags(new AffineTransform(1e-5, 0, 0, -1e-5, 10.5, 45.25), 4326, true));
  }

  private void check(String name, GeoTiffWriter.Tags tags) throws Exception {
    Path src = tmp.resolve(name + "-src.tif");
    GeoTiffWriter.write(src, TestScenes.rgb(W, H), List.of(), tags, GeoTiffWriter.Options.striped());
    Path plain = tmp.resolve(name + ".tif");
    Path dated = tmp.resolve(name + "-dated.tif");
    Gdal.run("gdal_translate", "-q", "-co", "TILED=YES", "-co", "BLOCKXSIZE=128", "-co", "BLOCKYSIZE=128",
        "-co", "COMPRESS=DEFLATE", src.toString(), plain.toString());
    Gdal.run("gdal_translate", "-q", "-co", "TILED=YES", "-co", "BLOCKXSIZE=128", "-co", "BLOCKYSIZE=128",
        "-co", "COMPRESS=DEFLATE", "-mo", "TIFFTAG_DATETIME=2024:05:01 10:00:00", src.toString(), dated.toString());
    try (Scene a = Scene.open(plain); Scene b = Scene.open(dated)) {
      assertEquals(Optional.empty(), a.acquisitionTime(), name);
      assertEquals(Optional.of(Instant.parse("2024-05-01T10:00:00Z")), b.acquisitionTime(), name);
      assertEquals(List.of(W, H, 3), List.of(b.width(), b.height(), b.bands()), name);
      Georeferencing ga = a.georeferencing().orElseThrow();
      Georeferencing gb = b.georeferencing().orElseThrow();
      assertEquals(ga.crsName(), gb.crsName(), name);
      assertEquals("EPSG:" + tags.epsg(), gb.crsName(), name);
      assertEquals(ga.gridToCrs(), gb.gridToCrs(), name);
      Footprint fa = Footprint.of(WINDOW, ga);
      Footprint fb = Footprint.of(WINDOW, gb);
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(fa.nativeCorners()[i], fb.nativeCorners()[i], 0.0, name + " native corner " + i);
        assertArrayEquals(fa.lonLatCorners()[i], fb.lonLatCorners()[i], 0.0, name + " WGS84 corner " + i);
      }
      // Independently: GDAL's geotransform of the dated file, and PROJ's reprojection of its corners.
      JsonNode gt = new ObjectMapper().readTree(Gdal.run("gdalinfo", "-json", dated.toString())).get("geoTransform");
      AffineTransform gdal = new AffineTransform(gt.get(1).asDouble(), gt.get(4).asDouble(), gt.get(2).asDouble(),
          gt.get(5).asDouble(), gt.get(0).asDouble(), gt.get(3).asDouble());
      double[][] pixels = {{130, 70}, {354, 70}, {354, 294}, {130, 294}};
      List<double[]> proj = Gdal.toLonLat("EPSG:" + tags.epsg(), List.of(fb.nativeCorners()));
      for (int i = 0; i < 4; i++) {
        double[] xy = new double[2];
        gdal.transform(pixels[i], 0, xy, 0, 1);
        assertArrayEquals(xy, fb.nativeCorners()[i], 1e-6, name + " GDAL corner " + i);
        assertArrayEquals(proj.get(i), fb.lonLatCorners()[i], 1e-7, name + " PROJ corner " + i);
      }
      Raster window = b.read(new Rectangle(W - 100, H - 60, 100, 60)).raster();
      for (int y = 0; y < 60; y++) {
        for (int x = 0; x < 100; x++) {
          for (int band = 0; band < 3; band++) {
            assertEquals(TestScenes.sample8(W - 100 + x, H - 60 + y, band),
                window.getSample(window.getMinX() + x, window.getMinY() + y, band), name);
          }
        }
      }
      Raster oa = a.overview(100).raster();
      Raster ob = b.overview(100).raster();
      assertEquals(List.of(oa.getWidth(), oa.getHeight()), List.of(ob.getWidth(), ob.getHeight()), name);
      assertTrue(oa.getWidth() < W, name + ": overview width " + oa.getWidth());
      assertArrayEquals(oa.getPixels(0, 0, oa.getWidth(), oa.getHeight(), (int[]) null),
          ob.getPixels(0, 0, ob.getWidth(), ob.getHeight(), (int[]) null), name + " overview");
    }
  }
}

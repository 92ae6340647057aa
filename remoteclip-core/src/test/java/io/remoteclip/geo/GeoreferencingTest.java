package io.remoteclip.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window footprints against independent computations: the affine grid by hand, UTM by Krüger's series
 * ({@link Utm}), WGS84 scenes exactly, and (when gdal-bin is installed) GDAL's corners and PROJ's reprojection.
 */
class GeoreferencingTest {
  /** The acceptance tolerance for WGS84 corners. */
  private static final double DEGREES = 1e-7;
  private static final Rectangle WINDOW = new Rectangle(130, 70, 224, 224);

  @TempDir Path tmp;

  private record Case(String name, AffineTransform grid, int epsg, boolean geographic, boolean bigTiff,
      boolean pixelIsPoint) {}

  private static List<Case> cases() {
    AffineTransform rotated = new AffineTransform();
    rotated.translate(320_000, 6_250_000);
    rotated.rotate(Math.toRadians(-30));
    rotated.scale(0.3, -0.3);
    return List.of(
        new Case("utm33n", new AffineTransform(0.5, 0, 0, -0.5, 500_000, 4_000_000), 32633, false, false, false),
        new Case("utm33n-point", new AffineTransform(0.5, 0, 0, -0.5, 500_000, 4_000_000), 32633, false, false, true),
        new Case("utm33n-bigtiff", new AffineTransform(10, 0, 0, -10, 399_960, 5_000_040), 32633, false, true, false),
        new Case("utm55s-rotated", rotated, 32755, false, false, false),
        new Case("utm55s-rotated-bigtiff", rotated, 32755, false, true, false),
        new Case("wgs84", new AffineTransform(1e-5, 0, 0, -1e-5, 10.5, 45.25), 4326, true, false, false));
  }

  private Path write(Case c) throws Exception {
    Path f = tmp.resolve(c.name() + ".tif");
    GeoTiffWriter.Tags tags = new GeoTiffWriter.Tags(c.grid(), c.epsg(), c.geographic());
    if (c.bigTiff()) {
      BigTiffs.write(f, TestScenes.rgb(517, 389).getRaster(), 8, 64, true, tags);
    } else {
      GeoTiffWriter.Options o = GeoTiffWriter.Options.tiled(64, "Deflate");
      GeoTiffWriter.write(f, TestScenes.rgb(517, 389), List.of(), tags, c.pixelIsPoint() ? o.withPixelIsPoint() : o);
    }
    return f;
  }

  @Test
  void footprintsAgreeWithIndependentCorners() throws Exception {
    for (Case c : cases()) {
      try (Scene scene = Scene.open(write(c))) {
        Georeferencing geo = scene.georeferencing().orElseThrow();
        assertEquals("EPSG:" + c.epsg(), geo.crsName(), c.name());
        Footprint fp = Footprint.of(WINDOW, geo);
        double[][] pixels = {{130, 70}, {354, 70}, {354, 294}, {130, 294}};
        for (int i = 0; i < 4; i++) {
          double[] xy = new double[2];
          c.grid().transform(pixels[i], 0, xy, 0, 1);
          assertArrayEquals(xy, fp.nativeCorners()[i], 1e-6, c.name() + " native corner " + i);
          double[] expected = c.geographic() ? xy : Utm.toLonLat(c.epsg() % 100, c.epsg() / 100 == 326, xy[0], xy[1]);
          assertArrayEquals(expected, fp.lonLatCorners()[i], DEGREES, c.name() + " WGS84 corner " + i);
        }
        double[][] ring = fp.lonLatRing();
        assertArrayEquals(ring[0], ring[4], 0.0);
        assertTrue(signedArea(ring) > 0, c.name() + ": RFC 7946 wants exterior rings counter-clockwise");
      }
    }
  }

  @Test
  void pixelSizeInMetres() throws Exception {
    try (Scene utm = Scene.open(write(cases().get(0)))) {
      assertEquals(0.5, utm.georeferencing().orElseThrow().pixelSizeMetres(258, 194), 1e-12);
    }
    try (Scene wgs = Scene.open(write(cases().get(5)))) {
      // 1e-5 degrees at 45.25 N: ~0.785 m east-west (cos 45.25 x 111.32 km / 1e5), ~1.111 m north-south.
      double m = wgs.georeferencing().orElseThrow().pixelSizeMetres(258, 194);
      assertEquals((0.7848 + 1.1115) / 2, m, 0.002);
    }
  }

  @Test
  void gdalReadsTheSameCornersAndProjReprojectsThemTheSame() throws Exception {
    Gdal.require();
    ObjectMapper json = new ObjectMapper();
    for (Case c : cases()) {
      Path f = write(c);
      try (Scene scene = Scene.open(f)) {
        Georeferencing geo = scene.georeferencing().orElseThrow();
        Footprint whole = Footprint.of(new Rectangle(0, 0, scene.width(), scene.height()), geo);
        JsonNode info = json.readTree(Gdal.run("gdalinfo", "-json", f.toString()));
        JsonNode gt = info.get("geoTransform");
        AffineTransform g = geo.gridToCrs();
        double[] ours = {g.getTranslateX(), g.getScaleX(), g.getShearX(), g.getTranslateY(), g.getShearY(), g.getScaleY()};
        for (int i = 0; i < 6; i++) {
          assertEquals(gt.get(i).asDouble(), ours[i], 1e-9 * Math.max(1, Math.abs(ours[i])), c.name() + " geotransform " + i);
        }
        Footprint fp = Footprint.of(WINDOW, geo);
        List<double[]> proj = Gdal.toLonLat("EPSG:" + c.epsg(), List.of(fp.nativeCorners()));
        for (int i = 0; i < 4; i++) {
          assertArrayEquals(proj.get(i), fp.lonLatCorners()[i], DEGREES, c.name() + " PROJ corner " + i);
        }
        assertEquals(4, whole.lonLatCorners().length);
      }
    }
  }

  @Test
  void webMercatorAndANationalGridThroughTheEpsgDataset() throws Exception {
    List<double[]> mercator = new ArrayList<>();
    Path f = tmp.resolve("mercator.tif");
    GeoTiffWriter.write(f, TestScenes.rgb(300, 300), List.of(),
        new GeoTiffWriter.Tags(new AffineTransform(0.6, 0, 0, -0.6, 1_113_194.9, 6_621_293.7), 3857, false),
        GeoTiffWriter.Options.striped());
    try (Scene scene = Scene.open(f)) {
      Georeferencing geo = scene.georeferencing().orElseThrow();
      assertEquals("EPSG:3857", geo.crsName());
      Footprint fp = Footprint.of(WINDOW, geo);
      // Spherical Mercator inverse on the WGS84 semi-major axis.
      for (double[] xy : fp.nativeCorners()) {
        double r = 6378137.0;
        mercator.add(new double[] {Math.toDegrees(xy[0] / r), Math.toDegrees(Math.atan(Math.sinh(xy[1] / r)))});
      }
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(mercator.get(i), fp.lonLatCorners()[i], 1e-9, "EPSG:3857 corner " + i);
      }
    }
    Path bng = tmp.resolve("bng.tif");
    GeoTiffWriter.write(bng, TestScenes.rgb(300, 300), List.of(),
        new GeoTiffWriter.Tags(new AffineTransform(0.25, 0, 0, -0.25, 530_000, 180_000), 27700, false),
        GeoTiffWriter.Options.striped());
    try (Scene scene = Scene.open(bng)) {
      Georeferencing geo = scene.georeferencing().orElseThrow();
      assertEquals("EPSG:27700", geo.crsName());
      double[] lonLat = Footprint.of(WINDOW, geo).lonLatCorners()[0];
      // (530000, 180000) on the British National Grid is TQ 300 800 at Charing Cross, 0.128 W, 51.507 N.
      assertEquals(-0.128, lonLat[0], 0.005);
      assertEquals(51.507, lonLat[1], 0.005);
      if (Gdal.present()) {
        double[] proj = Gdal.toLonLat("EPSG:27700", List.of(Footprint.of(WINDOW, geo).nativeCorners()[0])).get(0);
        // OSGB36 -> WGS84 is a datum shift: SIS applies the EPSG dataset's Helmert transformation, PROJ may use
        // another; they agree to a few metres, not to 1e-7 degrees.
        assertArrayEquals(proj, lonLat, 1e-4);
      }
    }
  }

  private static double signedArea(double[][] ring) {
    double a = 0;
    for (int i = 0; i + 1 < ring.length; i++) {
      a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    }
    return a / 2;
  }
}

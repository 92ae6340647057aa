package io.remoteclip.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.geom.AffineTransform;
import org.apache.sis.referencing.CommonCRS;
import org.apache.sis.referencing.operation.transform.MathTransforms;
import org.junit.jupiter.api.Test;

/** Which windows a W,S,E,N box keeps, on a WGS84 grid where the answer is known exactly. */
class LonLatBoxTest {
  /** 0.001° pixels from (10°E, 46°N), so window (i, j) of 100 px spans 0.1° from (10 + 0.1 i, 46 - 0.1 j). */
  private static Georeferencing grid() throws Exception {
    var toCrs = MathTransforms.linear(new org.apache.sis.referencing.operation.matrix.Matrix3(
        0.001, 0, 10, 0, -0.001, 46, 0, 0, 1));
    return Georeferencing.of(toCrs, CommonCRS.WGS84.normalizedGeographic());
  }

  @Test
  void keepsTheWindowsWhoseInteriorsMeetTheBox() throws Exception {
    WindowGrid g = new WindowGrid(1000, 1000, 100, 100);
    // Columns 2..3 and rows 1..2: lon 10.2..10.4, lat 45.8..45.9 and a sliver of the next.
    assertArrayEquals(new int[] {12, 13, 22, 23}, LonLatBox.parse("10.21,45.75,10.39,45.85").windowsOf(g, grid()));
    // A box whose edges lie on window edges keeps only the windows inside it.
    assertArrayEquals(new int[] {12, 13}, LonLatBox.parse("10.2,45.8,10.4,45.9").windowsOf(g, grid()));
    // A point keeps the window(s) it lies in or on.
    assertArrayEquals(new int[] {55}, LonLatBox.parse("10.55,45.45,10.55,45.45").windowsOf(g, grid()));
    assertEquals(0, LonLatBox.parse("20,10,21,11").windowsOf(g, grid()).length);
    // Across the antimeridian, west 10.45 to east 10.25: every column but 3 (10.3..10.4 lies between them).
    int[] across = LonLatBox.parse("10.45,45.95,10.25,45.99").windowsOf(g, grid());
    assertArrayEquals(new int[] {0, 1, 2, 4, 5, 6, 7, 8, 9}, across);
    assertEquals(new AffineTransform(0.001, 0, 0, -0.001, 10, 46), grid().gridToCrs());
  }

  @Test
  void malformedBoxesAreRefusedWithTheReason() {
    assertEquals("bounding box \"1,2,3\": expected minLon,minLat,maxLon,maxLat",
        assertThrows(IllegalArgumentException.class, () -> LonLatBox.parse("1,2,3")).getMessage());
    assertEquals("bounding box \"1,x,3,4\": \"x\" is not a number",
        assertThrows(IllegalArgumentException.class, () -> LonLatBox.parse("1,x,3,4")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> LonLatBox.parse("181,0,1,1"));
    assertThrows(IllegalArgumentException.class, () -> LonLatBox.parse("0,-91,1,1"));
  }
}

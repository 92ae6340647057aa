package io.remoteclip.data.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected strings were produced by a Python port of the COCO API's rleToString (maskApi.c). */
class CocoRleTest {
  @Test
  void decodesCompressedCounts() {
    assertArrayEquals(new long[] {15, 3, 4, 3, 4, 3, 22, 1, 1, 7}, CocoRle.decode("?34000b0N[O6"));
    assertArrayEquals(new long[] {3, 100000, 5, 70, 1, 2000000}, CocoRle.decode("3PeQ35V]nLLjQQm1"));
  }

  @Test
  void extentOfColumnMajorRuns() {
    // 7x9 mask: 3x3 block at rows 1-3, cols 2-4; pixel (5,7); full column 8.
    assertEquals(new BoundingBox(2, 0, 9, 7), CocoRle.extent(new long[] {15, 3, 4, 3, 4, 3, 22, 1, 1, 7}, 7, 9));
    assertNull(CocoRle.extent(new long[] {63}, 7, 9));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.extent(new long[] {60, 10}, 7, 9));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.decode("?b"));
  }
}

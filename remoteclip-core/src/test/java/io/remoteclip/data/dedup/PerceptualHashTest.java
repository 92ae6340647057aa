package io.remoteclip.data.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {

  @Test
  void reencodedCopyIsNearAndOtherImagesAreFar() throws Exception {
    // airplane00.tif (original TIFF) is UCM-captions 101.jpg (re-encoded by Pillow at quality 85).
    Path tif = Fixtures.require("data/samples/ucm-tif/airplane00.tif");
    Path ucm = Fixtures.require("data/ucm-captions/images");
    long a = PerceptualHash.of(tif);
    assertTrue(PerceptualHash.distance(a, PerceptualHash.of(ucm.resolve("101.jpg"))) <= 2);
    // sparseresidential45 (242x256) = 1846.jpg
    long s = PerceptualHash.of(tif.resolveSibling("sparseresidential45.tif"));
    assertTrue(PerceptualHash.distance(s, PerceptualHash.of(ucm.resolve("1846.jpg"))) <= 2);
    int min = 64;
    for (int k : new int[] {1, 100, 102, 500, 1000, 1500, 1845, 2000}) {
      min = Math.min(min, PerceptualHash.distance(a, PerceptualHash.of(ucm.resolve(k + ".jpg"))));
    }
    assertTrue(min > 10, "unrelated images differ in many bits, closest " + min);
    assertEquals(0, a >>> 63, "DC bit is always 0");
    assertEquals(31, Long.bitCount(a), "exactly 31 of the 63 AC coefficients exceed their median");
  }

  @Test
  void indexFindsWhatBruteForceFinds() {
    Random r = new Random(5);
    HashIndex<Integer> idx = new HashIndex<>(4);
    long[] stored = new long[3000];
    for (int i = 0; i < stored.length; i++) {
      stored[i] = r.nextLong();
      idx.add(stored[i], i);
    }
    for (int q = 0; q < 2000; q++) {
      long h = stored[r.nextInt(stored.length)];
      for (int flips = r.nextInt(7); flips > 0; flips--) {
        h ^= 1L << r.nextInt(64);
      }
      int best = -1, bestD = 99;
      for (int i = 0; i < stored.length; i++) {
        int d = Long.bitCount(stored[i] ^ h);
        if (d <= 4 && d < bestD) {
          best = i;
          bestD = d;
        }
      }
      HashIndex.Match<Integer> m = idx.nearest(h);
      assertEquals(best, m == null ? -1 : m.value());
    }
  }
}

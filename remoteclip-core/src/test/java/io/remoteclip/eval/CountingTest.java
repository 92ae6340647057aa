package io.remoteclip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountingTest {
  @Test
  void captionsFollowThePaperTemplate() {
    List<String> c = CountingCaptions.defaults().captions("planes");
    assertEquals(10, c.size());
    assertEquals("There are 1 planes in the image.", c.get(0));
    assertEquals("There are 10 planes in the image.", c.get(9));
    assertEquals("There are three ships in the image.",
        new CountingCaptions(CountingCaptions.DEFAULT_TEMPLATE, true).captions("ships").get(2));
  }

  /** Caption c (count c+1) of an item sits at angle 0.1·c; the image at angle a. */
  private static float[] at(double a) {
    return new float[] {(float) Math.cos(a), (float) Math.sin(a)};
  }

  @Test
  void topOneTopThreeAndAbsoluteError() {
    float[][] captions = new float[30][];
    for (int i = 0; i < 3; i++) {
      for (int c = 0; c < 10; c++) {
        captions[i * 10 + c] = at(0.1 * c);
      }
    }
    // Item 0 image nearest caption count 3 (true 3): exact. Item 1 nearest count 5 (true 6): top-3 hit,
    // error 1. Item 2 nearest count 1 (true 9): miss, error 8.
    float[][] images = {at(0.2), at(0.41), at(-0.5)};
    CountingMetrics m = Counting.evaluate(images, captions, new int[] {3, 6, 9});
    assertEquals(100.0 / 3, m.top1(), 1e-12);
    assertEquals(200.0 / 3, m.top3(), 1e-12);
    assertEquals((0 + 1 + 8) / 3.0, m.meanAbsoluteError(), 1e-12);
    assertEquals(1, m.confusion()[5][4]);
  }

  @Test
  void itemsFileIsReadAndCheckedLineByLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("items.jsonl");
    Files.writeString(f, "{\"image\": \"tiles/a.png\", \"category\": \"plane\", \"plural\": \"planes\", \"count\": 4}\n\n"
        + "{\"image\": \"tiles/b.png\", \"category\": \"ship\", \"plural\": \"ships\", \"count\": 10}\n");
    List<CountingItem> items = CountingItems.load(f);
    assertEquals(2, items.size());
    assertEquals(dir.resolve("tiles/a.png"), items.get(0).image());
    assertEquals(20, CountingCaptions.defaults().captions(items).size());
    Files.writeString(f, "{\"image\": \"a.png\", \"category\": \"plane\", \"count\": 4}\n"
        + "{\"image\": \"b.png\", \"category\": \"ship\", \"count\": 11}\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> CountingItems.load(f));
    assertTrue(e.getMessage().contains("items.jsonl:2:"), e.getMessage());
    Files.writeString(f, "{\"image\": \"a.png\", \"category\": \"plane\" \"count\": 4}\n");
    e = assertThrows(DataFormatException.class, () -> CountingItems.load(f));
    assertTrue(e.getMessage().contains("items.jsonl:1: invalid JSON"), e.getMessage());
  }
}

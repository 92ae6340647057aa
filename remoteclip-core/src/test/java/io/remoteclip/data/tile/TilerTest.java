package io.remoteclip.data.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.data.annotation.BoundingBox;
import io.remoteclip.data.annotation.ClassRole;
import io.remoteclip.data.annotation.LabeledObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class TilerTest {
  static LabeledObject quad(double x0, double y0, double x1, double y1) {
    double[] p = {x0, y0, x1, y0, x1, y1, x0, y1};
    return new LabeledObject("ship", BoundingBox.enclosing(p), p, false, ClassRole.COUNT, 1);
  }

  @Test
  void tilesCoverTheSceneWithTheLastAlignedToTheBorder() {
    Tiler t = new Tiler(512, 128, 0.5);
    List<Tile> tiles = t.tiles(1111, 1182);
    // x: 0, 384, 599; y: 0, 384, 670
    assertEquals(9, tiles.size());
    assertEquals(new Tile(599, 670, 512, 512), tiles.get(8));
    assertEquals(new Tile(384, 0, 512, 512), tiles.get(1));
    assertEquals(List.of(new Tile(0, 0, 300, 200)), t.tiles(300, 200));
    assertEquals(List.of(new Tile(0, 0, 512, 512)), t.tiles(512, 512));
    assertThrows(IllegalArgumentException.class, () -> new Tiler(512, 512, 0.5));
  }

  @Test
  void clipsKeepsAndCutsByInsideFraction() {
    Tiler t = new Tiler(100, 0, 0.5);
    Tile tile = new Tile(100, 0, 100, 100);
    LabeledObject inside = quad(120, 10, 140, 30);
    LabeledObject mostly = quad(80, 10, 120, 30);   // half inside exactly -> kept
    LabeledObject little = quad(60, 10, 110, 30);   // 20 % inside -> cut
    LabeledObject away = quad(10, 10, 20, 20);
    Tiler.Clipped c = t.clip(List.of(inside, mostly, little, away), tile);
    assertEquals(2, c.kept().size());
    assertEquals(new BoundingBox(20, 10, 40, 30), c.kept().get(0).box());
    assertEquals(new BoundingBox(0, 10, 20, 30), c.kept().get(1).box());
    assertEquals(List.of(little), c.cut());
    for (LabeledObject o : c.kept()) {
      assertTrue(o.box().x0() >= 0 && o.box().x1() <= 100 && o.box().y0() >= 0 && o.box().y1() <= 100);
    }
  }

  @Test
  void rotatedPolygonAreaDecidesNotItsBox() {
    // Diamond 50 px wide whose left 17 px lie in the tile: 34 % of its box but only 289/1250 = 23 % of its
    // area is inside, so with a 0.3 threshold it is cut although its box would be kept.
    double[] d = {90, 50, 115, 25, 140, 50, 115, 75};
    LabeledObject o = new LabeledObject("ship", BoundingBox.enclosing(d), d, false, ClassRole.COUNT, 1);
    Tiler t = new Tiler(107, 0, 0.3);
    Tiler.Clipped c = t.clip(List.of(o), new Tile(0, 0, 107, 100));
    assertEquals(0, c.kept().size());
    assertEquals(1, c.cut().size());
    assertEquals(1250.0, Polygons.area(d), 1e-9);
    assertEquals(289.0, Polygons.area(Polygons.clip(d, 0, 0, 107, 100)), 1e-9);
    Tiler.Clipped loose = new Tiler(107, 0, 0.2).clip(List.of(o), new Tile(0, 0, 107, 100));
    assertEquals(new BoundingBox(90, 33, 107, 67), loose.kept().get(0).box());
  }
}

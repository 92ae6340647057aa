package io.remoteclip.data.tile;

import io.remoteclip.data.annotation.BoundingBox;
import io.remoteclip.data.annotation.LabeledObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a large scene into square tiles and clips its objects to each tile.
 *
 * <p>Tiles start at 0 and step by {@code size - overlap}; the last row and column are shifted back so they
 * end exactly at the image border (every pixel is covered, no padding). A side shorter than {@code size}
 * gives one tile of that side's length. An object is kept in a tile when at least {@code minInside} of its
 * area (polygon area when it has a polygon, else box area) lies inside; its polygon and box are clipped to
 * the tile and shifted into the tile's frame.
 */
public final class Tiler {
  private final int size;
  private final int overlap;
  private final double minInside;

  public Tiler(int size, int overlap, double minInside) {
    if (size < 16) {
      throw new IllegalArgumentException("tile size must be at least 16 pixels, got " + size);
    }
    if (overlap < 0 || overlap >= size) {
      throw new IllegalArgumentException("overlap must be in [0, tile size), got " + overlap);
    }
    if (!(minInside > 0 && minInside <= 1)) {
      throw new IllegalArgumentException("minimum inside fraction must be in (0, 1], got " + minInside);
    }
    this.size = size;
    this.overlap = overlap;
    this.minInside = minInside;
  }

  public int size() {
    return size;
  }

  /** Tiles of a {@code width×height} scene, row by row. */
  public List<Tile> tiles(int width, int height) {
    List<Tile> out = new ArrayList<>();
    for (int y : starts(height)) {
      for (int x : starts(width)) {
        out.add(new Tile(x, y, Math.min(size, width), Math.min(size, height)));
      }
    }
    return out;
  }

  private List<Integer> starts(int length) {
    List<Integer> s = new ArrayList<>();
    if (length <= size) {
      s.add(0);
      return s;
    }
    int step = size - overlap;
    for (int p = 0; ; p += step) {
      if (p + size >= length) {
        s.add(length - size);
        break;
      }
      s.add(p);
    }
    return s;
  }

  /** The result of clipping objects to one tile. */
  public record Clipped(List<LabeledObject> kept, List<LabeledObject> cut) {}

  /**
   * Objects of the tile in its frame ({@code kept}), and objects partly inside but below the threshold
   * ({@code cut}, in the scene frame): visible yet not annotated, which matters for counting benchmarks.
   */
  public Clipped clip(List<LabeledObject> objects, Tile t) {
    List<LabeledObject> kept = new ArrayList<>();
    List<LabeledObject> cut = new ArrayList<>();
    double x0 = t.x(), y0 = t.y(), x1 = t.x() + t.width(), y1 = t.y() + t.height();
    for (LabeledObject o : objects) {
      BoundingBox b = o.box();
      if (b.x1() <= x0 || b.x0() >= x1 || b.y1() <= y0 || b.y0() >= y1) {
        continue;
      }
      double full, inside;
      double[] poly = null;
      BoundingBox box;
      if (o.polygon() != null && Polygons.area(o.polygon()) > 0) {
        full = Polygons.area(o.polygon());
        double[] c = Polygons.clip(o.polygon(), x0, y0, x1, y1);
        inside = c.length >= 6 ? Polygons.area(c) : 0;
        if (inside > 0) {
          poly = new double[c.length];
          for (int i = 0; i < c.length; i += 2) {
            poly[i] = c[i] - x0;
            poly[i + 1] = c[i + 1] - y0;
          }
        }
        box = poly == null ? null : BoundingBox.enclosing(poly).clipTo(t.width(), t.height());
      } else {
        full = b.area();
        box = b.translate(x0, y0).clipTo(t.width(), t.height());
        inside = box.area();
      }
      if (inside <= 0 || box == null || box.isEmpty()) {
        continue;
      }
      if (inside >= minInside * full - 1e-9) {
        kept.add(o.withGeometry(box, poly));
      } else {
        cut.add(o);
      }
    }
    return new Clipped(kept, cut);
  }
}

package io.remoteclip.data.m2b;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A semantic mask as a grid of label ids plus the raw key of each id: the pixel value for one-band masks
 * (class-index PNG such as LoveDA, also palette PNGs, whose index is the class) or {@code "r,g,b"} for
 * colour-coded masks (Potsdam/Vaihingen RGB, iSAID).
 */
public final class LabelRaster {
  private final int width;
  private final int height;
  private final int[] ids;
  private final List<String> keys;

  public LabelRaster(int width, int height, int[] ids, List<String> keys) {
    this.width = width;
    this.height = height;
    this.ids = ids;
    this.keys = List.copyOf(keys);
  }

  public static LabelRaster of(BufferedImage mask) {
    Raster r = mask.getRaster();
    int w = mask.getWidth(), h = mask.getHeight();
    int[] ids = new int[w * h];
    List<String> keys = new ArrayList<>();
    Map<Integer, Integer> idOf = new HashMap<>();
    boolean color = r.getNumBands() >= 3;
    int[] px = new int[r.getNumBands()];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.getPixel(x, y, px);
        int packed = color ? (px[0] << 16) | (px[1] << 8) | px[2] : px[0];
        Integer id = idOf.get(packed);
        if (id == null) {
          id = keys.size();
          idOf.put(packed, id);
          keys.add(color ? px[0] + "," + px[1] + "," + px[2] : String.valueOf(px[0]));
        }
        ids[y * w + x] = id;
      }
    }
    return new LabelRaster(w, h, ids, keys);
  }

  /** The part {@code [x0,x0+w)×[y0,y0+h)} as its own raster (same keys). */
  public LabelRaster crop(int x0, int y0, int w, int h) {
    int[] sub = new int[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(ids, (y0 + y) * width + x0, sub, y * w, w);
    }
    return new LabelRaster(w, h, sub, keys);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int id(int x, int y) {
    return ids[y * width + x];
  }

  /** Raw key ("3" or "0,0,63") of a label id. */
  public List<String> keys() {
    return keys;
  }

  public long[] histogram() {
    long[] h = new long[keys.size()];
    for (int id : ids) {
      h[id]++;
    }
    return h;
  }
}

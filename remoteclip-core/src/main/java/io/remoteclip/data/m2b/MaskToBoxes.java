package io.remoteclip.data.m2b;

import java.util.ArrayList;
import java.util.List;

/**
 * Mask-to-Box: the connected components (8-connectivity) of every label of a {@link LabelRaster}, each as
 * its extent box (pixel {@code x} spans {@code x..x+1}) and pixel count, dropping components smaller than a
 * minimum area.
 */
public final class MaskToBoxes {
  private MaskToBoxes() {}

  /**
   * One connected region of one label, with its extent in pixel edges: columns {@code x0..x1-1} and rows
   * {@code y0..y1-1} (kept as plain ints so that M2B stays a leaf below the annotation readers).
   */
  public record Component(int labelId, int x0, int y0, int x1, int y1, long pixels) {}

  /** All components of area ≥ {@code minPixels}, in raster scan order of their first pixel. */
  public static List<Component> components(LabelRaster mask, long minPixels) {
    int w = mask.width(), h = mask.height();
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[Math.max(16, w * h)];
    List<Component> out = new ArrayList<>();
    for (int start = 0; start < w * h; start++) {
      if (seen[start]) {
        continue;
      }
      int label = mask.id(start % w, start / w);
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      long count = 0;
      int minX = w, minY = h, maxX = -1, maxY = -1;
      while (top > 0) {
        int p = stack[--top];
        int px = p % w, py = p / w;
        count++;
        minX = Math.min(minX, px);
        maxX = Math.max(maxX, px);
        minY = Math.min(minY, py);
        maxY = Math.max(maxY, py);
        for (int dy = -1; dy <= 1; dy++) {
          int ny = py + dy;
          if (ny < 0 || ny >= h) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int nx = px + dx;
            if (nx < 0 || nx >= w || (dx == 0 && dy == 0)) {
              continue;
            }
            int q = ny * w + nx;
            if (!seen[q] && mask.id(nx, ny) == label) {
              seen[q] = true;
              stack[top++] = q;
            }
          }
        }
      }
      if (count >= minPixels) {
        out.add(new Component(label, minX, minY, maxX + 1, maxY + 1, count));
      }
    }
    return out;
  }
}

package io.remoteclip.geo;

import java.awt.Rectangle;
import java.awt.geom.AffineTransform;

/**
 * Square windows of {@code window} pixels every {@code stride} pixels, row by row from the upper-left corner;
 * a margin narrower than the stride at the right and bottom edges is not covered. Window {@code i} is at
 * column {@code i % columns()}, row {@code i / columns()} of the grid.
 */
public record WindowGrid(int sceneWidth, int sceneHeight, int window, int stride) {
  public WindowGrid {
    if (window <= 0 || stride <= 0) {
      throw new IllegalArgumentException("window and stride must be positive, got window=" + window + " stride=" + stride);
    }
    if (window > sceneWidth || window > sceneHeight) {
      throw new IllegalArgumentException("window of " + window + " px is larger than the " + sceneWidth + "x"
          + sceneHeight + " scene");
    }
  }

  public int columns() {
    return (sceneWidth - window) / stride + 1;
  }

  public int rows() {
    return (sceneHeight - window) / stride + 1;
  }

  public int count() {
    return columns() * rows();
  }

  /** Window {@code i} in pixels. */
  public Rectangle window(int i) {
    return new Rectangle((i % columns()) * stride, (i / columns()) * stride, window, window);
  }

  /**
   * Heat-map cell corner (column, row) to scene pixel corner: cell (i, j) is the stride-sized square around the
   * centre of window (i, j), so the heat map lies on the scene where its windows' centres are.
   */
  public AffineTransform cellToPixel() {
    double offset = (window - stride) / 2.0;
    AffineTransform t = AffineTransform.getTranslateInstance(offset, offset);
    t.scale(stride, stride);
    return t;
  }
}

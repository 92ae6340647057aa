package io.remoteclip.data.annotation;

/**
 * Axis-aligned box in pixel coordinates of its image: {@code x0,y0} top-left, {@code x1,y1} bottom-right
 * (continuous coordinates, so a one-pixel component at column 3 spans 3..4).
 */
public record BoundingBox(double x0, double y0, double x1, double y1) {

  public static BoundingBox ofXywh(double x, double y, double w, double h) {
    return new BoundingBox(x, y, x + w, y + h);
  }

  /** Extent of a polygon given as {@code x1,y1,x2,y2,...}. */
  public static BoundingBox enclosing(double[] xy) {
    double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i + 1 < xy.length; i += 2) {
      minX = Math.min(minX, xy[i]);
      maxX = Math.max(maxX, xy[i]);
      minY = Math.min(minY, xy[i + 1]);
      maxY = Math.max(maxY, xy[i + 1]);
    }
    return new BoundingBox(minX, minY, maxX, maxY);
  }

  public double width() {
    return x1 - x0;
  }

  public double height() {
    return y1 - y0;
  }

  public double area() {
    return Math.max(0, width()) * Math.max(0, height());
  }

  public double centerX() {
    return (x0 + x1) / 2;
  }

  public double centerY() {
    return (y0 + y1) / 2;
  }

  public boolean isEmpty() {
    return !(x1 > x0 && y1 > y0);
  }

  /** Intersection with the rectangle {@code [0,w]×[0,h]}. */
  public BoundingBox clipTo(double w, double h) {
    return new BoundingBox(clamp(x0, w), clamp(y0, h), clamp(x1, w), clamp(y1, h));
  }

  /** This box shifted by {@code -dx,-dy} (into a tile's frame). */
  public BoundingBox translate(double dx, double dy) {
    return new BoundingBox(x0 - dx, y0 - dy, x1 - dx, y1 - dy);
  }

  private static double clamp(double v, double max) {
    return Math.max(0, Math.min(max, v));
  }
}

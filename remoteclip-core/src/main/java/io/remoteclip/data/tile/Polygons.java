package io.remoteclip.data.tile;

import java.util.Arrays;

/** Polygon helpers for clipping objects to tiles ({@code x1,y1,x2,y2,…} arrays). */
public final class Polygons {
  private Polygons() {}

  /** Absolute area by the shoelace formula. */
  public static double area(double[] xy) {
    double s = 0;
    int n = xy.length / 2;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      s += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return Math.abs(s) / 2;
  }

  /** Sutherland–Hodgman clip of a polygon to the rectangle {@code [x0,x1]×[y0,y1]}; may return an empty array. */
  public static double[] clip(double[] xy, double x0, double y0, double x1, double y1) {
    double[] p = xy;
    p = clipEdge(p, 0, x0, true);
    p = clipEdge(p, 0, x1, false);
    p = clipEdge(p, 1, y0, true);
    p = clipEdge(p, 1, y1, false);
    return p;
  }

  /** Keeps the side {@code coord >= limit} (when {@code lower}) or {@code coord <= limit}. */
  private static double[] clipEdge(double[] xy, int axis, double limit, boolean lower) {
    int n = xy.length / 2;
    if (n == 0) {
      return xy;
    }
    double[] out = new double[4 * n + 4];
    int m = 0;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double ax = xy[2 * i], ay = xy[2 * i + 1], bx = xy[2 * j], by = xy[2 * j + 1];
      double a = axis == 0 ? ax : ay, b = axis == 0 ? bx : by;
      boolean aIn = lower ? a >= limit : a <= limit;
      boolean bIn = lower ? b >= limit : b <= limit;
      if (aIn) {
        out[m++] = ax;
        out[m++] = ay;
      }
      if (aIn != bIn) {
        double t = (limit - a) / (b - a);
        out[m++] = ax + t * (bx - ax);
        out[m++] = ay + t * (by - ay);
      }
    }
    return Arrays.copyOf(out, m);
  }
}

package io.remoteclip.data.annotation;

/** Corners of a box given by centre, size and rotation angle. */
final class RotatedBox {
  private RotatedBox() {}

  /** Four corners {@code x1,y1,…,x4,y4} of a {@code w×h} box centred at {@code cx,cy}, rotated by {@code angle} radians. */
  static double[] corners(double cx, double cy, double w, double h, double angle) {
    double c = Math.cos(angle), s = Math.sin(angle);
    double[][] local = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
    double[] q = new double[8];
    for (int i = 0; i < 4; i++) {
      q[2 * i] = cx + local[i][0] * c - local[i][1] * s;
      q[2 * i + 1] = cy + local[i][0] * s + local[i][1] * c;
    }
    return q;
  }
}

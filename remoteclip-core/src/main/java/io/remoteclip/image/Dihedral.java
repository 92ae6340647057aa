package io.remoteclip.image;

/** Flips and quarter turns of a square HWC RGB image. */
final class Dihedral {
  private Dihedral() {}

  /**
   * Horizontal flip, then vertical flip, then {@code quarterTurns} counter-clockwise rotations by 90°, of an
   * {@code n×n×3} image.
   */
  static byte[] apply(byte[] rgb, int n, boolean hflip, boolean vflip, int quarterTurns) {
    if (!hflip && !vflip && quarterTurns == 0) {
      return rgb;
    }
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        // Walk back from the output pixel to its source: undo the rotation, then the flips.
        int sx = x;
        int sy = y;
        for (int t = 0; t < quarterTurns; t++) {
          // Output (x, y) of a CCW turn comes from input (n-1-y, x).
          int nx = n - 1 - sy;
          int ny = sx;
          sx = nx;
          sy = ny;
        }
        if (vflip) {
          sy = n - 1 - sy;
        }
        if (hflip) {
          sx = n - 1 - sx;
        }
        int o = (y * n + x) * 3;
        int s = (sy * n + sx) * 3;
        out[o] = rgb[s];
        out[o + 1] = rgb[s + 1];
        out[o + 2] = rgb[s + 2];
      }
    }
    return out;
  }
}

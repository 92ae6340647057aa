package io.remoteclip.image;

/** Pillow's resampling filters that CLIP-family preprocessing uses. */
public enum Resample {
  /** Pillow NEAREST: source pixel {@code floor(x0 + i·scale)} with x0 = scale/2, accumulated in double. */
  NEAREST(0),
  /** Triangle filter, support 1 (scaled by the downscale factor). */
  BILINEAR(1),
  /** Keys cubic, a = −0.5, support 2 (scaled by the downscale factor). */
  BICUBIC(2);

  final double support;

  Resample(double support) {
    this.support = support;
  }

  double kernel(double x) {
    x = Math.abs(x);
    switch (this) {
      case BILINEAR:
        return x < 1.0 ? 1.0 - x : 0.0;
      case BICUBIC: {
        final double a = -0.5;
        if (x < 1.0) {
          return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
          return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
      }
      default:
        throw new IllegalStateException("NEAREST has no kernel");
    }
  }
}

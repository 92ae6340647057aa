package io.remoteclip.image;

/**
 * Pillow 9.4's {@code Image.resize(size, filter)} ({@code libImaging/Resample.c}), bit-exact:
 *
 * <ul>
 *   <li>separable convolution, horizontal pass first (only when the width changes), then vertical (only when
 *       the height changes); for output pixel i, center = (i + 0.5)·scale, the window [int(center − support +
 *       0.5), int(center + support + 0.5)) clipped to the image, weights k((j − center + 0.5)/filterscale)
 *       normalised to sum 1, where filterscale = max(scale, 1) and support = filter support · filterscale
 *       (downscaling widens the kernel: antialiasing);
 *   <li>8-bit modes: weights rounded to 22-bit fixed point, each pass rounded and clamped to 0..255 (so the
 *       intermediate image is 8-bit);
 *   <li>mode I: double weights, each pass rounded half away from zero to int32, not clamped;
 *   <li>RGBA and LA are resized premultiplied by alpha (except with NEAREST);
 *   <li>P and 1 always use NEAREST (Pillow ignores the requested filter).
 * </ul>
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PilResize() {}

  public static DecodedImage resize(DecodedImage im, int width, int height, Resample filter) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
    }
    if ((long) width * height * Math.max(1, im.channels()) > Integer.MAX_VALUE - 8) {
      // Decoders refuse such shapes from the header (ImageDecoder.MAX_ASPECT_RATIO); this names a raster that was not.
      throw new IllegalArgumentException("cannot resize " + im.width() + "x" + im.height() + " to " + width + "x" + height
          + ": the result would not fit in one array");
    }
    if (width == im.width() && height == im.height()) {
      return im;
    }
    ImageMode mode = im.mode();
    if (filter == Resample.NEAREST || mode == ImageMode.P || mode == ImageMode.ONE) {
      return nearest(im, width, height);
    }
    if (mode == ImageMode.I) {
      return im.withSamples(width, height, null, resampleInts(im.ints(), im.width(), im.height(), width, height, filter));
    }
    boolean alpha = mode == ImageMode.RGBA || mode == ImageMode.LA;
    byte[] src = alpha ? Alpha.premultiply(im.bytes(), im.channels()) : im.bytes();
    byte[] out = resampleBytes(src, im.width(), im.height(), im.channels(), width, height, filter);
    if (alpha) {
      Alpha.unpremultiplyInPlace(out, im.channels());
    }
    return im.withSamples(width, height, out, null);
  }

  /** Per output pixel: first source index, count, and normalised weights ({@code ksize} slots each). */
  static final class Coefficients {
    final int ksize;
    final int[] bounds;
    final double[] weights;

    Coefficients(int inSize, int outSize, Resample filter) {
      double scale = (double) inSize / outSize;
      double filterscale = Math.max(scale, 1.0);
      double support = filter.support * filterscale;
      ksize = (int) Math.ceil(support) * 2 + 1;
      bounds = new int[outSize * 2];
      weights = new double[outSize * ksize];
      double ss = 1.0 / filterscale;
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double ww = 0.0;
        int base = xx * ksize;
        for (int x = 0; x < xmax; x++) {
          double w = filter.kernel((x + xmin - center + 0.5) * ss);
          weights[base + x] = w;
          ww += w;
        }
        if (ww != 0.0) {
          for (int x = 0; x < xmax; x++) {
            weights[base + x] /= ww;
          }
        }
        bounds[2 * xx] = xmin;
        bounds[2 * xx + 1] = Math.max(xmax, 0);
      }
    }

    int[] fixedPoint() {
      int[] q = new int[weights.length];
      for (int i = 0; i < q.length; i++) {
        double v = weights[i] * (1 << PRECISION_BITS);
        q[i] = (int) (weights[i] < 0 ? v - 0.5 : v + 0.5);
      }
      return q;
    }
  }

  static byte[] resampleBytes(byte[] src, int inW, int inH, int c, int outW, int outH, Resample filter) {
    byte[] cur = src;
    int curW = inW;
    if (outW != inW) {
      Coefficients co = new Coefficients(inW, outW, filter);
      cur = horizontal8(cur, inW, inH, c, outW, co.ksize, co.bounds, co.fixedPoint());
      curW = outW;
    }
    if (outH != inH) {
      Coefficients co = new Coefficients(inH, outH, filter);
      cur = vertical8(cur, curW, c, outH, co.ksize, co.bounds, co.fixedPoint());
    }
    return cur == src ? src.clone() : cur;
  }

  private static byte[] horizontal8(byte[] src, int inW, int h, int c, int outW, int ksize, int[] bounds, int[] k) {
    byte[] out = new byte[outW * h * c];
    int half = 1 << (PRECISION_BITS - 1);
    for (int y = 0; y < h; y++) {
      int rowIn = y * inW * c;
      int o = y * outW * c;
      for (int xx = 0; xx < outW; xx++) {
        int xmin = bounds[2 * xx];
        int n = bounds[2 * xx + 1];
        int kb = xx * ksize;
        if (c == 3) {
          // RGB, the common case: the three channels share one pass over the taps.
          int s0 = half;
          int s1 = half;
          int s2 = half;
          int p = rowIn + xmin * 3;
          for (int x = 0; x < n; x++, p += 3) {
            int kv = k[kb + x];
            s0 += (src[p] & 0xFF) * kv;
            s1 += (src[p + 1] & 0xFF) * kv;
            s2 += (src[p + 2] & 0xFF) * kv;
          }
          out[o++] = clip8(s0);
          out[o++] = clip8(s1);
          out[o++] = clip8(s2);
          continue;
        }
        for (int ch = 0; ch < c; ch++) {
          int ss = half;
          int p = rowIn + xmin * c + ch;
          for (int x = 0; x < n; x++, p += c) {
            ss += (src[p] & 0xFF) * k[kb + x];
          }
          out[o++] = clip8(ss);
        }
      }
    }
    return out;
  }

  private static byte[] vertical8(byte[] src, int w, int c, int outH, int ksize, int[] bounds, int[] k) {
    int rowLen = w * c;
    byte[] out = new byte[outH * rowLen];
    int half = 1 << (PRECISION_BITS - 1);
    int[] acc = new int[rowLen];
    for (int yy = 0; yy < outH; yy++) {
      int ymin = bounds[2 * yy];
      int n = bounds[2 * yy + 1];
      int kb = yy * ksize;
      java.util.Arrays.fill(acc, half);
      // Row-wise accumulation: the same sums as Pillow's per-pixel loop, in a cache-friendly order.
      for (int y = 0; y < n; y++) {
        int kv = k[kb + y];
        int rowIn = (ymin + y) * rowLen;
        for (int i = 0; i < rowLen; i++) {
          acc[i] += (src[rowIn + i] & 0xFF) * kv;
        }
      }
      int o = yy * rowLen;
      for (int i = 0; i < rowLen; i++) {
        out[o + i] = clip8(acc[i]);
      }
    }
    return out;
  }

  private static byte clip8(int ss) {
    if (ss >= (1 << PRECISION_BITS << 8)) {
      return (byte) 255;
    }
    if (ss <= 0) {
      return 0;
    }
    return (byte) (ss >> PRECISION_BITS);
  }

  static int[] resampleInts(int[] src, int inW, int inH, int outW, int outH, Resample filter) {
    int[] cur = src;
    int curW = inW;
    if (outW != inW) {
      Coefficients co = new Coefficients(inW, outW, filter);
      int[] out = new int[outW * inH];
      for (int y = 0; y < inH; y++) {
        for (int xx = 0; xx < outW; xx++) {
          int xmin = co.bounds[2 * xx];
          int n = co.bounds[2 * xx + 1];
          double ss = 0.0;
          for (int x = 0; x < n; x++) {
            ss += cur[y * inW + xmin + x] * co.weights[xx * co.ksize + x];
          }
          out[y * outW + xx] = roundHalfAway(ss);
        }
      }
      cur = out;
      curW = outW;
    }
    if (outH != inH) {
      Coefficients co = new Coefficients(inH, outH, filter);
      int[] out = new int[curW * outH];
      for (int yy = 0; yy < outH; yy++) {
        int ymin = co.bounds[2 * yy];
        int n = co.bounds[2 * yy + 1];
        for (int xx = 0; xx < curW; xx++) {
          double ss = 0.0;
          for (int y = 0; y < n; y++) {
            ss += cur[(ymin + y) * curW + xx] * co.weights[yy * co.ksize + y];
          }
          out[yy * curW + xx] = roundHalfAway(ss);
        }
      }
      cur = out;
    }
    return cur == src ? src.clone() : cur;
  }

  private static int roundHalfAway(double v) {
    return (int) (v >= 0.0 ? v + 0.5 : v - 0.5);
  }

  private static DecodedImage nearest(DecodedImage im, int outW, int outH) {
    int[] xs = nearestIndices(im.width(), outW);
    int[] ys = nearestIndices(im.height(), outH);
    int c = im.channels();
    int inW = im.width();
    if (im.ints() != null) {
      int[] src = im.ints();
      int[] out = new int[outW * outH];
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          out[y * outW + x] = src[ys[y] * inW + xs[x]];
        }
      }
      return im.withSamples(outW, outH, null, out);
    }
    byte[] src = im.bytes();
    byte[] out = new byte[outW * outH * c];
    int o = 0;
    for (int y = 0; y < outH; y++) {
      int row = ys[y] * inW;
      for (int x = 0; x < outW; x++) {
        int p = (row + xs[x]) * c;
        for (int ch = 0; ch < c; ch++) {
          out[o++] = src[p + ch];
        }
      }
    }
    return im.withSamples(outW, outH, out, null);
  }

  /** Pillow's {@code ImagingScaleAffine}: the source coordinate is accumulated, not multiplied. */
  static int[] nearestIndices(int in, int out) {
    double step = (double) in / out;
    double pos = step * 0.5;
    int[] idx = new int[out];
    for (int i = 0; i < out; i++) {
      idx[i] = Math.min(pos < 0.0 ? 0 : (int) pos, in - 1);
      pos += step;
    }
    return idx;
  }
}

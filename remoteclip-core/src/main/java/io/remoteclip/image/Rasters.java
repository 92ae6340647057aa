package io.remoteclip.image;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/** Copies samples out of AWT rasters into interleaved arrays (fast path for interleaved byte rasters). */
final class Rasters {
  private Rasters() {}

  /** The given bands as interleaved 8-bit samples; each sample is {@code value >> shift}. */
  static byte[] bytes(Raster r, int[] bands, int shift) {
    int w = r.getWidth();
    int h = r.getHeight();
    int c = bands.length;
    byte[] out = new byte[w * h * c];
    if (shift == 0 && r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
        && r.getSampleModel() instanceof ComponentSampleModel sm && r.getSampleModelTranslateX() == 0
        && r.getSampleModelTranslateY() == 0) {
      byte[] src = db.getData();
      int pixelStride = sm.getPixelStride();
      int lineStride = sm.getScanlineStride();
      int[] offsets = sm.getBandOffsets();
      int base = db.getOffset();
      boolean contiguous = pixelStride == c;
      for (int b = 0; b < c && contiguous; b++) {
        contiguous = offsets[bands[b]] == b;
      }
      for (int y = 0; y < h; y++) {
        int row = base + y * lineStride;
        if (contiguous) {
          System.arraycopy(src, row, out, y * w * c, w * c);
          continue;
        }
        int o = y * w * c;
        for (int x = 0; x < w; x++) {
          int p = row + x * pixelStride;
          for (int b = 0; b < c; b++) {
            out[o++] = src[p + offsets[bands[b]]];
          }
        }
      }
      return out;
    }
    int[] line = new int[w];
    for (int b = 0; b < c; b++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, bands[b], line);
        int o = y * w * c + b;
        for (int x = 0; x < w; x++, o += c) {
          out[o] = (byte) (line[x] >>> shift);
        }
      }
    }
    return out;
  }

  /** One band as ints (raw sample values). */
  static int[] ints(Raster r, int band) {
    int w = r.getWidth();
    int h = r.getHeight();
    int[] out = new int[w * h];
    int[] line = new int[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, band, line);
      System.arraycopy(line, 0, out, y * w, w);
    }
    return out;
  }

  /** One band as doubles (for band selection of 16-bit, 32-bit and float rasters). */
  static double[] doubles(Raster r, int band) {
    int w = r.getWidth();
    int h = r.getHeight();
    double[] out = new double[w * h];
    double[] line = new double[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, band, line);
      System.arraycopy(line, 0, out, y * w, w);
    }
    return out;
  }

  static int[] range(int n) {
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      b[i] = i;
    }
    return b;
  }
}

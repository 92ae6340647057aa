package io.remoteclip.geo;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Deterministic test rasters: every sample is a known function of its position and band. */
final class TestScenes {
  private TestScenes() {}

  static int sample8(int x, int y, int b) {
    return (x * (3 + b) + y * (7 - b) + ((x / 9) ^ (y / 5)) * 11) & 0xff;
  }

  static int sample16(int x, int y, int b) {
    return (x * 37 + y * 101 + b * 5003 + ((x * y) % 977)) & 0xffff;
  }

  static BufferedImage rgb(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int b = 0; b < 3; b++) {
          r.setSample(x, y, b, sample8(x, y, b));
        }
      }
    }
    return img;
  }

  /** An n-band 16-bit raster (multispectral-like). */
  static Raster uint16(int w, int h, int bands) {
    int[] offsets = new int[bands];
    for (int b = 0; b < bands; b++) {
      offsets[b] = b;
    }
    var sm = new PixelInterleavedSampleModel(DataBuffer.TYPE_USHORT, w, h, bands, w * bands, offsets);
    WritableRaster r = Raster.createWritableRaster(sm, new Point(0, 0));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int b = 0; b < bands; b++) {
          r.setSample(x, y, b, sample16(x, y, b));
        }
      }
    }
    return r;
  }
}

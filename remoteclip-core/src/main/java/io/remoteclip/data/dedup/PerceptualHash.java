package io.remoteclip.data.dedup;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.ImageSource;
import io.remoteclip.image.PilConvert;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * 64-bit DCT perceptual hash. Exact definition:
 *
 * <ol>
 *   <li>Luma {@code Y = 0.299 R + 0.587 G + 0.114 B} of every pixel (alpha ignored). Files are decoded
 *       reading every {@code s}-th pixel, {@code s = max(1, floor(min(w, h) / 128))}, which the hash cannot
 *       tell from full decoding but is many times faster.
 *   <li>Shrink to 32×32: output cell {@code (i, j)} is the mean of source rows
 *       {@code [floor(i·H/32), max(floor((i+1)·H/32), floor(i·H/32)+1))} and the same for columns.
 *   <li>2-D DCT-II without scaling: {@code C(u,v) = Σ_y Σ_x Y(y,x) cos(π(2y+1)u/64) cos(π(2x+1)v/64)}.
 *   <li>Keep {@code u, v ∈ 0..7}. {@code m} = median of the 63 coefficients other than the DC term
 *       {@code C(0,0)} (the 32nd smallest).
 *   <li>Bit {@code 63 − (8u + v)} of the hash is 1 when {@code C(u,v) > m}; the DC bit (the most significant)
 *       is always 0, because overall brightness says nothing about content.
 * </ol>
 * Near-duplicates (re-encoded, resized, slightly recoloured copies) differ in a few bits; unrelated images
 * in about 32.
 */
public final class PerceptualHash {
  private PerceptualHash() {}

  private static final double[][] COS = new double[8][32];

  static {
    for (int u = 0; u < 8; u++) {
      for (int x = 0; x < 32; x++) {
        COS[u][x] = Math.cos(Math.PI * (2 * x + 1) * u / 64.0);
      }
    }
  }

  public static long of(Path file) throws IOException, DataFormatException {
    return of(ImageSource.of(file));
  }

  /** The hash of any image source, read through {@link ImageDecoder}'s reduced-size mode. */
  public static long of(ImageSource source) throws IOException, DataFormatException {
    DecodedImage im = ImageDecoder.decodeReduced(source, null, 128);
    byte[] px = PilConvert.toRgb(im);
    int[] rgb = new int[im.width() * im.height()];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (px[3 * i] & 0xff) << 16 | (px[3 * i + 1] & 0xff) << 8 | (px[3 * i + 2] & 0xff);
    }
    return ofRgb(rgb, im.width(), im.height());
  }

  public static long of(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    return ofRgb(image.getRGB(0, 0, w, h, null, 0, w), w, h);
  }

  /** {@code rgb}: packed 0xRRGGBB, row-major. */
  private static long ofRgb(int[] rgb, int w, int h) {
    double[][] small = new double[32][32];
    for (int i = 0; i < 32; i++) {
      int y0 = (int) ((long) i * h / 32), y1 = Math.max((int) ((long) (i + 1) * h / 32), y0 + 1);
      for (int j = 0; j < 32; j++) {
        int x0 = (int) ((long) j * w / 32), x1 = Math.max((int) ((long) (j + 1) * w / 32), x0 + 1);
        double sum = 0;
        int n = 0;
        for (int y = y0; y < Math.min(y1, h); y++) {
          for (int x = x0; x < Math.min(x1, w); x++) {
            int p = rgb[y * w + x];
            sum += 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
            n++;
          }
        }
        small[i][j] = n == 0 ? 0 : sum / n;
      }
    }
    double[] coeff = new double[64];
    for (int u = 0; u < 8; u++) {
      for (int v = 0; v < 8; v++) {
        double s = 0;
        for (int y = 0; y < 32; y++) {
          double cy = COS[u][y];
          double row = 0;
          for (int x = 0; x < 32; x++) {
            row += small[y][x] * COS[v][x];
          }
          s += cy * row;
        }
        coeff[8 * u + v] = s;
      }
    }
    double[] ac = Arrays.copyOfRange(coeff, 1, 64);
    Arrays.sort(ac);
    double median = ac[31];
    long hash = 0;
    for (int k = 1; k < 64; k++) {
      if (coeff[k] > median) {
        hash |= 1L << (63 - k);
      }
    }
    return hash;
  }

  public static int distance(long a, long b) {
    return Long.bitCount(a ^ b);
  }

  public static String hex(long hash) {
    return String.format("%016x", hash);
  }
}

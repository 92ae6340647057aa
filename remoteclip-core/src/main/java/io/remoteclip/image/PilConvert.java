package io.remoteclip.image;

/**
 * Pillow's {@code convert("RGB")}: L and 1 replicated, alpha dropped (no compositing), palette looked up, I
 * clipped to 0..255 (not scaled), CMYK by Pillow's {@code cmyk2rgb}.
 */
public final class PilConvert {
  private PilConvert() {}

  /** Interleaved RGB bytes, {@code width*height*3}. */
  public static byte[] toRgb(DecodedImage im) {
    int n = im.width() * im.height();
    byte[] out = new byte[n * 3];
    byte[] src = im.bytes();
    switch (im.mode()) {
      case RGB:
        return src.clone();
      case RGBA:
        for (int i = 0; i < n; i++) {
          out[3 * i] = src[4 * i];
          out[3 * i + 1] = src[4 * i + 1];
          out[3 * i + 2] = src[4 * i + 2];
        }
        return out;
      case L:
      case ONE:
        for (int i = 0; i < n; i++) {
          out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = src[i];
        }
        return out;
      case LA:
        for (int i = 0; i < n; i++) {
          out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = src[2 * i];
        }
        return out;
      case P: {
        byte[] pal = im.palette();
        for (int i = 0; i < n; i++) {
          int p = (src[i] & 0xFF) * 3;
          out[3 * i] = pal[p];
          out[3 * i + 1] = pal[p + 1];
          out[3 * i + 2] = pal[p + 2];
        }
        return out;
      }
      case I: {
        int[] v = im.ints();
        for (int i = 0; i < n; i++) {
          int x = v[i] <= 0 ? 0 : Math.min(v[i], 255);
          out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = (byte) x;
        }
        return out;
      }
      case CMYK:
        for (int i = 0; i < n; i++) {
          int nk = 255 - (src[4 * i + 3] & 0xFF);
          for (int ch = 0; ch < 3; ch++) {
            int t = (src[4 * i + ch] & 0xFF) * nk + 128;
            int v = nk - (((t >> 8) + t) >> 8);
            out[3 * i + ch] = (byte) Math.max(0, Math.min(255, v));
          }
        }
        return out;
      default:
        throw new IllegalStateException("unhandled mode " + im.mode());
    }
  }
}

package io.remoteclip.image;

/** Pillow's RGBA↔RGBa and LA↔La conversions (alpha in the last channel). */
final class Alpha {
  private Alpha() {}

  /** c' = MULDIV255(c, a): ((t >> 8) + t) >> 8 with t = c·a + 128. */
  static byte[] premultiply(byte[] src, int channels) {
    byte[] out = new byte[src.length];
    for (int i = 0; i < src.length; i += channels) {
      int a = src[i + channels - 1] & 0xFF;
      for (int ch = 0; ch < channels - 1; ch++) {
        int t = (src[i + ch] & 0xFF) * a + 128;
        out[i + ch] = (byte) (((t >> 8) + t) >> 8);
      }
      out[i + channels - 1] = (byte) a;
    }
    return out;
  }

  /** c = clamp(255·c' / a) for 0 < a < 255, unchanged otherwise. */
  static void unpremultiplyInPlace(byte[] px, int channels) {
    for (int i = 0; i < px.length; i += channels) {
      int a = px[i + channels - 1] & 0xFF;
      if (a == 0 || a == 255) {
        continue;
      }
      for (int ch = 0; ch < channels - 1; ch++) {
        int v = 255 * (px[i + ch] & 0xFF) / a;
        px[i + ch] = (byte) Math.min(v, 255);
      }
    }
  }
}

package io.remoteclip.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/** PNGs of any claimed size, written by hand: headers that lie, and huge black images that compress to little. */
public final class PngFixtures {
  private PngFixtures() {}

  /** The signature and an IHDR claiming {@code w x h} 8-bit RGB, then an empty IDAT and IEND: no pixels at all. */
  public static byte[] header(int w, int h) throws IOException {
    return png(w, h, new byte[0]);
  }

  /** A complete black {@code w x h} RGB image (rows of zeros deflate to about a thousandth of their size). */
  public static byte[] black(int w, int h) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (OutputStream z = new DeflaterOutputStream(idat)) {
      byte[] row = new byte[1 + 3 * w]; // filter type 0, then the samples
      for (int y = 0; y < h; y++) {
        z.write(row);
      }
    }
    return png(w, h, idat.toByteArray());
  }

  private static byte[] png(int w, int h, byte[] idat) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}

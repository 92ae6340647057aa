package io.remoteclip.parquet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A WKB polygon decoded by hand (ISO/OGC simple features: byte order, type 3, rings, points), so tests read
 * geometries without the JTS the writer uses.
 */
public final class Wkb {
  private Wkb() {}

  /** The exterior ring of a polygon: [n][x, y]. */
  public static double[][] polygonRing(byte[] wkb) {
    ByteBuffer b = ByteBuffer.wrap(wkb);
    b.order(b.get() == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int type = b.getInt();
    if (type != 3) {
      throw new IllegalArgumentException("WKB type " + type + ", not a 2-D polygon (3)");
    }
    int rings = b.getInt();
    if (rings < 1) {
      throw new IllegalArgumentException("polygon without rings");
    }
    double[][] ring = new double[b.getInt()][];
    for (int i = 0; i < ring.length; i++) {
      ring[i] = new double[] {b.getDouble(), b.getDouble()};
    }
    return ring;
  }

  /** The 2-D polygon of a closed ring, little-endian, written by hand (for third-party tables made in tests). */
  public static byte[] polygon(double[][] ring) {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 + 4 + ring.length * 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 1).putInt(3).putInt(1).putInt(ring.length);
    for (double[] p : ring) {
      b.putDouble(p[0]).putDouble(p[1]);
    }
    return b.array();
  }

  /** A 2-D point, little-endian. */
  public static byte[] point(double x, double y) {
    return ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1).putInt(1).putDouble(x).putDouble(y).array();
  }
}

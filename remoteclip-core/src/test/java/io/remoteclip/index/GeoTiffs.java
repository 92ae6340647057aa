package io.remoteclip.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small uncompressed RGB GeoTIFFs for tests (no GeoTIFF is in the shared data). */
public final class GeoTiffs {
  private GeoTiffs() {}

  private record Entry(int tag, int type, int count, byte[] data) {}

  /**
   * A {@code w x h} RGB TIFF (pixel values from {@code seed}) tied at pixel (0,0) to ({@code x0}, {@code y0}) with
   * square pixels of {@code pixel} units, in {@code epsg} (projected CRS key 3072).
   */
  public static void write(Path file, ByteOrder order, int w, int h, int seed, double x0, double y0, double pixel, int epsg,
      boolean pixelIsPoint) throws IOException {
    byte[] pixels = new byte[w * h * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (seed * 31 + i * 7);
    }
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(256, 3, 1, shorts(order, w)));
    entries.add(new Entry(257, 3, 1, shorts(order, h)));
    entries.add(new Entry(258, 3, 3, shorts(order, 8, 8, 8)));
    entries.add(new Entry(259, 3, 1, shorts(order, 1)));
    entries.add(new Entry(262, 3, 1, shorts(order, 2)));
    entries.add(new Entry(273, 4, 1, null)); // strip offset, patched below
    entries.add(new Entry(277, 3, 1, shorts(order, 3)));
    entries.add(new Entry(278, 3, 1, shorts(order, h)));
    entries.add(new Entry(279, 4, 1, ints(order, pixels.length)));
    entries.add(new Entry(284, 3, 1, shorts(order, 1)));
    entries.add(new Entry(33550, 12, 3, doubles(order, pixel, pixel, 0)));
    entries.add(new Entry(33922, 12, 6, doubles(order, 0, 0, 0, x0, y0, 0)));
    // Geographic CRSs (EPSG 4000-4999) go in GeographicTypeGeoKey with model type 2, projected ones in
    // ProjectedCSTypeGeoKey with model type 1: a reader that resolves the code refuses them swapped.
    boolean geographic = epsg >= 4000 && epsg < 5000;
    int[] keys = {1, 1, 0, 3, 1024, 0, 1, geographic ? 2 : 1, 1025, 0, 1, pixelIsPoint ? 2 : 1,
        geographic ? 2048 : 3072, 0, 1, epsg};
    entries.add(new Entry(34735, 3, keys.length, shorts(order, keys)));
    int ifdOffset = 8;
    int ifdSize = 2 + 12 * entries.size() + 4;
    int dataOffset = ifdOffset + ifdSize;
    List<byte[]> extra = new ArrayList<>();
    int[] valueOffsets = new int[entries.size()];
    int cursor = dataOffset;
    for (int i = 0; i < entries.size(); i++) {
      byte[] d = entries.get(i).data();
      if (d != null && d.length > 4) {
        valueOffsets[i] = cursor;
        extra.add(d);
        cursor += d.length;
      }
    }
    int pixelOffset = cursor;
    ByteBuffer b = ByteBuffer.allocate(pixelOffset + pixels.length).order(order);
    b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    b.putShort((short) 42).putInt(ifdOffset);
    b.putShort((short) entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      b.putShort((short) e.tag()).putShort((short) e.type()).putInt(e.count());
      byte[] d = e.tag() == 273 ? ints(order, pixelOffset) : e.data();
      if (d.length > 4) {
        b.putInt(valueOffsets[i]);
      } else {
        byte[] inline = new byte[4];
        System.arraycopy(d, 0, inline, 0, d.length);
        b.put(inline);
      }
    }
    b.putInt(0);
    for (byte[] d : extra) {
      b.put(d);
    }
    b.put(pixels);
    Files.write(file, b.array());
  }

  private static byte[] shorts(ByteOrder o, int... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(o);
    for (int x : v) {
      b.putShort((short) x);
    }
    return b.array();
  }

  private static byte[] ints(ByteOrder o, int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(o);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  private static byte[] doubles(ByteOrder o, double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(o);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }
}

package io.remoteclip.geo;

import java.awt.geom.AffineTransform;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.Deflater;

/**
 * A small BigTIFF writer for tests (the JDK plugin writes classic TIFF only): chunky 8- or 16-bit samples,
 * tiled or striped, uncompressed or Deflate, with the GeoTIFF tags of {@link GeoTiffWriter.Tags}.
 */
final class BigTiffs {
  private static final int SHORT = 3;
  private static final int DOUBLE = 12;
  private static final int LONG8 = 16;

  private BigTiffs() {}

  static void write(Path file, Raster r, int bits, int tile, boolean deflate, GeoTiffWriter.Tags tags) throws IOException {
    int w = r.getWidth();
    int h = r.getHeight();
    int bands = r.getNumBands();
    int bw = tile > 0 ? tile : w;
    int bh = tile > 0 ? tile : 16;
    int across = (w + bw - 1) / bw;
    int down = (h + bh - 1) / bh;
    List<byte[]> chunks = new ArrayList<>();
    for (int ty = 0; ty < down; ty++) {
      for (int tx = 0; tx < across; tx++) {
        // Tiles are padded to full size; strips end at the image's last row.
        int rows = tile > 0 ? bh : Math.min(bh, h - ty * bh);
        ByteBuffer buf = ByteBuffer.allocate(bw * rows * bands * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < rows; y++) {
          for (int x = 0; x < bw; x++) {
            for (int b = 0; b < bands; b++) {
              int px = tx * bw + x;
              int py = ty * bh + y;
              int v = px < w && py < h ? r.getSample(px, py, b) : 0;
              if (bits == 8) {
                buf.put((byte) v);
              } else {
                buf.putShort((short) v);
              }
            }
          }
        }
        chunks.add(deflate ? deflate(buf.array()) : buf.array());
      }
    }
    TreeMap<Integer, Object[]> entries = new TreeMap<>();
    entries.put(256, new Object[] {LONG8, new long[] {w}});
    entries.put(257, new Object[] {LONG8, new long[] {h}});
    long[] bps = new long[bands];
    java.util.Arrays.fill(bps, bits);
    entries.put(258, new Object[] {SHORT, bps});
    entries.put(259, new Object[] {SHORT, new long[] {deflate ? 8 : 1}});
    // RGB for 3 bands; otherwise MinIsBlack with the rest as extra samples, as GDAL writes multispectral data.
    entries.put(262, new Object[] {SHORT, new long[] {bands == 3 ? 2 : 1}});
    entries.put(277, new Object[] {SHORT, new long[] {bands}});
    entries.put(284, new Object[] {SHORT, new long[] {1}});
    if (bands != 3 && bands > 1) {
      entries.put(338, new Object[] {SHORT, new long[bands - 1]});
    }
    if (tile > 0) {
      entries.put(322, new Object[] {LONG8, new long[] {bw}});
      entries.put(323, new Object[] {LONG8, new long[] {bh}});
    } else {
      entries.put(278, new Object[] {LONG8, new long[] {bh}});
    }
    if (tags != null) {
      AffineTransform t = tags.gridToCrs();
      if (t.getShearX() == 0 && t.getShearY() == 0) {
        entries.put(33550, new Object[] {DOUBLE, new double[] {t.getScaleX(), -t.getScaleY(), 0}});
        entries.put(33922, new Object[] {DOUBLE, new double[] {0, 0, 0, t.getTranslateX(), t.getTranslateY(), 0}});
      } else {
        entries.put(34264, new Object[] {DOUBLE, new double[] {t.getScaleX(), t.getShearX(), 0, t.getTranslateX(),
            t.getShearY(), t.getScaleY(), 0, t.getTranslateY(), 0, 0, 0, 0, 0, 0, 0, 1}});
      }
      int key = tags.geographic() ? 2048 : 3072;
      entries.put(34735, new Object[] {SHORT, new long[] {1, 1, 0, 3, 1024, 0, 1, tags.geographic() ? 2 : 1,
          1025, 0, 1, 1, key, 0, 1, tags.epsg()}});
    }
    long[] offsets = new long[chunks.size()];
    long[] counts = new long[chunks.size()];
    entries.put(tile > 0 ? 324 : 273, new Object[] {LONG8, offsets});
    entries.put(tile > 0 ? 325 : 279, new Object[] {LONG8, counts});
    // Layout: header (16) | IFD | out-of-line values | pixel chunks.
    int n = entries.size();
    long ifdSize = 8 + 20L * n + 8;
    long extra = 0;
    for (Object[] e : entries.values()) {
      long size = size(e);
      extra += size > 8 ? size : 0;
    }
    long dataStart = 16 + ifdSize + extra;
    long pos = dataStart;
    for (int i = 0; i < chunks.size(); i++) {
      offsets[i] = pos;
      counts[i] = chunks.get(i).length;
      pos += counts[i];
    }
    ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
    head.put((byte) 'I').put((byte) 'I').putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(16);
    head.putLong(n);
    long valuePos = 16 + ifdSize;
    ByteBuffer values = ByteBuffer.allocate((int) extra).order(ByteOrder.LITTLE_ENDIAN);
    for (var e : entries.entrySet()) {
      int type = (Integer) e.getValue()[0];
      Object v = e.getValue()[1];
      int count = v instanceof long[] l ? l.length : ((double[]) v).length;
      head.putShort((short) (int) e.getKey()).putShort((short) type).putLong(count);
      long size = size(e.getValue());
      ByteBuffer target = size > 8 ? values : head;
      int start = target.position();
      if (size > 8) {
        head.putLong(valuePos);
        valuePos += size;
      }
      if (v instanceof double[] d) {
        for (double x : d) {
          target.putDouble(x);
        }
      } else {
        for (long x : (long[]) v) {
          if (type == SHORT) {
            target.putShort((short) x);
          } else {
            target.putLong(x);
          }
        }
      }
      if (size <= 8) {
        head.position(start + 8);
      }
    }
    head.putLong(0);
    head.put(values.array());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(head.flip());
      for (byte[] c : chunks) {
        ch.write(ByteBuffer.wrap(c));
      }
    }
  }

  private static long size(Object[] e) {
    int type = (Integer) e[0];
    Object v = e[1];
    int count = v instanceof long[] l ? l.length : ((double[]) v).length;
    return (long) count * (type == SHORT ? 2 : 8);
  }

  private static byte[] deflate(byte[] raw) {
    Deflater d = new Deflater();
    d.setInput(raw);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }
}

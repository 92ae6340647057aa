package io.remoteclip.geo;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * What the first bytes of a (Big)TIFF say before SIS opens it: the magic, and whether the first image is
 * tiled (a striped TIFF read over the network costs whole strips per window). Reads the header and the first
 * directory's tag numbers only.
 */
record TiffHeader(boolean bigTiff, boolean tiled) {
  private static final int TILE_WIDTH = 322;

  /** Reads from the channel's start; the position is left anywhere. */
  static TiffHeader read(SeekableByteChannel ch, String name) throws IOException, DataFormatException {
    ByteBuffer h = readAt(ch, 0, 16);
    boolean ii = h.remaining() >= 4 && h.get(0) == 'I' && h.get(1) == 'I';
    boolean mm = h.remaining() >= 4 && h.get(0) == 'M' && h.get(1) == 'M';
    if (!ii && !mm) {
      throw notTiff(name);
    }
    h.order(ii ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int version = h.getShort(2) & 0xffff;
    if (version != 42 && version != 43) {
      throw notTiff(name);
    }
    boolean big = version == 43;
    if (big ? h.remaining() < 16 : h.remaining() < 8) {
      throw new DataFormatException(name + ": corrupt TIFF: the header is cut short");
    }
    long ifd = big ? h.getLong(8) : h.getInt(4) & 0xffffffffL;
    ByteBuffer count = readAt(ch, ifd, big ? 8 : 2).order(h.order());
    if (count.remaining() < (big ? 8 : 2)) {
      throw new DataFormatException(name + ": corrupt TIFF: the first directory lies past the end of the file");
    }
    long entries = big ? count.getLong(0) : count.getShort(0) & 0xffff;
    int size = big ? 20 : 12;
    int n = (int) Math.min(entries, 4096);
    ByteBuffer tags = readAt(ch, ifd + (big ? 8 : 2), n * size).order(h.order());
    boolean tiled = false;
    for (int i = 0; i + 2 <= tags.remaining() && i / size < n; i += size) {
      if ((tags.getShort(i) & 0xffff) == TILE_WIDTH) {
        tiled = true;
      }
    }
    return new TiffHeader(big, tiled);
  }

  private static DataFormatException notTiff(String name) {
    return new DataFormatException(name + ": not a TIFF or GeoTIFF (scenes are read from (Big)TIFF files)");
  }

  /** Up to {@code n} bytes at {@code offset} (fewer at the end of the file), flipped for reading. */
  private static ByteBuffer readAt(SeekableByteChannel ch, long offset, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    if (offset > 0 && offset >= ch.size()) {
      return b.flip();
    }
    ch.position(offset);
    while (b.hasRemaining() && ch.read(b) > 0) {
      // fill
    }
    return b.flip();
  }
}

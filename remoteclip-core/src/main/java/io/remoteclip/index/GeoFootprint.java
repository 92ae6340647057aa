package io.remoteclip.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The ground footprint of a GeoTIFF: CRS (EPSG code) and bounds in that CRS's units.
 *
 * <p>Read from the first IFD's GeoTIFF tags (ModelPixelScale 33550, ModelTiepoint 33922, GeoKeyDirectory
 * 34735) without decoding pixels. The bounds are those of the pixel area: for {@code RasterPixelIsPoint}
 * rasters the tie point names a pixel centre, so the edge is half a pixel further out (as GDAL reads it). Rotated rasters (ModelTransformation) and
 * BigTIFF are not read (no footprint).
 *
 * @param epsg EPSG code of the projected or geographic CRS, 0 when the file names none (user-defined)
 */
public record GeoFootprint(int epsg, double minX, double minY, double maxX, double maxY) {
  private static final int TAG_WIDTH = 256;
  private static final int TAG_HEIGHT = 257;
  private static final int TAG_PIXEL_SCALE = 33550;
  private static final int TAG_TIEPOINT = 33922;
  private static final int TAG_GEOKEYS = 34735;
  private static final int KEY_RASTER_TYPE = 1025;
  private static final int KEY_GEOGRAPHIC_CRS = 2048;
  private static final int KEY_PROJECTED_CRS = 3072;
  private static final int RASTER_PIXEL_IS_POINT = 2;
  /** TIFF headers and IFDs of georeferenced tiles are small; anything past this is not read. */
  private static final int MAX_HEADER_BYTES = 1 << 20;

  /** "EPSG:32611", or "unknown" for a user-defined CRS. */
  public String crs() {
    return epsg > 0 ? "EPSG:" + epsg : "unknown";
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s [%.6f, %.6f, %.6f, %.6f]", crs(), minX, minY, maxX, maxY);
  }

  /**
   * The footprint of {@code file}, or empty when it is not a TIFF or carries no (axis-aligned)
   * georeferencing. A damaged TIFF header also gives empty: pixels are the decoder's business.
   */
  public static Optional<GeoFootprint> read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".tif") && !name.endsWith(".tiff")) {
      return Optional.empty();
    }
    ByteBuffer buf;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int n = (int) Math.min(ch.size(), MAX_HEADER_BYTES);
      buf = ByteBuffer.allocate(n);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read fully
      }
      buf.flip();
    }
    try {
      return parse(buf);
    } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
      return Optional.empty();
    }
  }

  static Optional<GeoFootprint> parse(ByteBuffer buf) {
    if (buf.remaining() < 8) {
      return Optional.empty();
    }
    byte b0 = buf.get(0);
    byte b1 = buf.get(1);
    if (b0 == 'I' && b1 == 'I') {
      buf.order(ByteOrder.LITTLE_ENDIAN);
    } else if (b0 == 'M' && b1 == 'M') {
      buf.order(ByteOrder.BIG_ENDIAN);
    } else {
      return Optional.empty();
    }
    if ((buf.getShort(2) & 0xffff) != 42) {
      return Optional.empty();
    }
    int ifd = buf.getInt(4);
    int entries = buf.getShort(ifd) & 0xffff;
    long width = -1;
    long height = -1;
    double[] scale = null;
    double[] tie = null;
    int[] keys = null;
    for (int i = 0; i < entries; i++) {
      int e = ifd + 2 + 12 * i;
      int tag = buf.getShort(e) & 0xffff;
      int type = buf.getShort(e + 2) & 0xffff;
      int count = buf.getInt(e + 4);
      switch (tag) {
        case TAG_WIDTH -> width = firstInt(buf, e, type);
        case TAG_HEIGHT -> height = firstInt(buf, e, type);
        case TAG_PIXEL_SCALE -> scale = doubles(buf, e, type, count);
        case TAG_TIEPOINT -> tie = doubles(buf, e, type, count);
        case TAG_GEOKEYS -> keys = shorts(buf, e, type, count);
        default -> { }
      }
    }
    if (scale == null || scale.length < 2 || tie == null || tie.length < 6 || keys == null || width <= 0 || height <= 0) {
      return Optional.empty();
    }
    int epsg = geoKey(keys, KEY_PROJECTED_CRS);
    if (epsg <= 0 || epsg == 32767) {
      int geographic = geoKey(keys, KEY_GEOGRAPHIC_CRS);
      epsg = geographic > 0 && geographic != 32767 ? geographic : 0;
    }
    double i0 = tie[0];
    double j0 = tie[1];
    if (geoKey(keys, KEY_RASTER_TYPE) == RASTER_PIXEL_IS_POINT) {
      i0 += 0.5;
      j0 += 0.5;
    }
    double left = tie[3] - i0 * scale[0];
    double top = tie[4] + j0 * scale[1];
    return Optional.of(new GeoFootprint(epsg, left, top - height * scale[1], left + width * scale[0], top));
  }

  private static int geoKey(int[] dir, int key) {
    // Header (4 shorts) then 4 shorts per key: id, location (0 = value inline), count, value.
    if (dir.length < 4) {
      return -1;
    }
    int n = dir[3];
    for (int k = 0; k < n && 4 + 4 * k + 3 < dir.length; k++) {
      int o = 4 + 4 * k;
      if (dir[o] == key && dir[o + 1] == 0) {
        return dir[o + 3];
      }
    }
    return -1;
  }

  private static long firstInt(ByteBuffer buf, int entry, int type) {
    return switch (type) {
      case 3 -> buf.getShort(entry + 8) & 0xffff;
      case 4 -> buf.getInt(entry + 8) & 0xffffffffL;
      default -> -1;
    };
  }

  private static double[] doubles(ByteBuffer buf, int entry, int type, int count) {
    if (type != 12 || count <= 0 || count > 6 * 1024) {
      return null;
    }
    int offset = buf.getInt(entry + 8);
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = buf.getDouble(offset + 8 * i);
    }
    return out;
  }

  private static int[] shorts(ByteBuffer buf, int entry, int type, int count) {
    if (type != 3 || count <= 0 || count > 64 * 1024) {
      return null;
    }
    int offset = count <= 2 ? entry + 8 : buf.getInt(entry + 8);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = buf.getShort(offset + 2 * i) & 0xffff;
    }
    return out;
  }
}

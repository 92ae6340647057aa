package io.remoteclip.geo;

import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stored samples of one window, unconverted (any band count and sample type), with the scene's colour
 * model (palette, alpha) when it has one. The raster's origin is (0, 0).
 */
public record WindowPixels(Raster raster, ColorModel colors) {
  /**
   * The window's content identity: the lower-case hex SHA-256 of its samples, row by row, pixel-interleaved
   * (band-interleaved by pixel), each in its stored type, big-endian (1 byte for 8-bit and narrower samples, 2
   * for 16-bit, 4 for 32-bit integers and floats, 8 for doubles). It depends on the pixels only, not on the
   * file's tiling or compression: for 8-bit data, the hash of GDAL's raw BIP crop of the window.
   */
  public String sha256() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
    int w = raster.getWidth();
    int bands = raster.getNumBands();
    int type = raster.getDataBuffer().getDataType();
    int bytes = switch (type) {
      case DataBuffer.TYPE_BYTE -> 1;
      case DataBuffer.TYPE_USHORT, DataBuffer.TYPE_SHORT -> 2;
      case DataBuffer.TYPE_DOUBLE -> 8;
      default -> 4;
    };
    ByteBuffer row = ByteBuffer.allocate(w * bands * bytes);
    int x0 = raster.getMinX();
    for (int y = raster.getMinY(); y < raster.getMinY() + raster.getHeight(); y++) {
      row.clear();
      if (type == DataBuffer.TYPE_FLOAT) {
        for (float v : raster.getPixels(x0, y, w, 1, (float[]) null)) {
          row.putFloat(v);
        }
      } else if (type == DataBuffer.TYPE_DOUBLE) {
        for (double v : raster.getPixels(x0, y, w, 1, (double[]) null)) {
          row.putDouble(v);
        }
      } else {
        for (int v : raster.getPixels(x0, y, w, 1, (int[]) null)) {
          switch (bytes) {
            case 1 -> row.put((byte) v);
            case 2 -> row.putShort((short) v);
            default -> row.putInt(v);
          }
        }
      }
      md.update(row.array(), 0, row.position());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}

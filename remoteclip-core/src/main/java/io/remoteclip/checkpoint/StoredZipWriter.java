package io.remoteclip.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip archive of STORED entries the way torch's {@code PyTorchStreamWriter} lays them out: each
 * entry's data start at a 64-byte aligned offset, reached by padding the local header's extra field with an
 * {@code FB} record of {@code 'Z'} bytes. Sizes and CRC go in the local header (no data descriptor). Archives
 * beyond the classic zip limits (4 GiB, 65535 entries) are refused rather than written as zip64.
 */
final class StoredZipWriter {
  static final int ALIGNMENT = 64;
  private static final int LOCAL_HEADER = 30;
  private static final int FLAG_UTF8 = 0x0800;
  private static final int DOS_DATE_1980_01_01 = (1 << 5) | 1;
  private static final long MAX_CLASSIC = 0xFFFFFFFFL;

  private record Written(byte[] name, long crc, long size, long offset) {}

  private final OutputStream out;
  private final List<Written> entries = new ArrayList<>();
  private long position;

  StoredZipWriter(OutputStream out) {
    this.out = out;
  }

  void add(String name, byte[] data) throws IOException {
    add(name, ByteBuffer.wrap(data));
  }

  void add(String name, ByteBuffer data) throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    long size = data.remaining();
    CRC32 crc = new CRC32();
    crc.update(data.duplicate());
    long headerStart = position;
    int pad = (int) Math.floorMod(-(headerStart + LOCAL_HEADER + nameBytes.length + 4), (long) ALIGNMENT);
    checkLimits(headerStart + LOCAL_HEADER + nameBytes.length + 4 + pad + size);

    ByteBuffer h = le(LOCAL_HEADER + nameBytes.length + 4 + pad);
    h.putInt(0x04034b50).putShort((short) 20).putShort((short) FLAG_UTF8).putShort((short) 0) // signature, version, flags, STORED
        .putShort((short) 0).putShort((short) DOS_DATE_1980_01_01) // time, date
        .putInt((int) crc.getValue()).putInt((int) size).putInt((int) size) // crc, compressed, uncompressed
        .putShort((short) nameBytes.length).putShort((short) (4 + pad)).put(nameBytes)
        .put((byte) 'F').put((byte) 'B').putShort((short) pad); // extra record "FB" + length
    for (int i = 0; i < pad; i++) {
      h.put((byte) 'Z');
    }
    write(h.array());
    write(data);
    entries.add(new Written(nameBytes, crc.getValue(), size, headerStart));
  }

  /** Central directory and end record; the stream is left open. */
  void finish() throws IOException {
    long cdStart = position;
    for (Written e : entries) {
      ByteBuffer c = le(46 + e.name().length);
      c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) FLAG_UTF8).putShort((short) 0)
          .putShort((short) 0).putShort((short) DOS_DATE_1980_01_01)
          .putInt((int) e.crc()).putInt((int) e.size()).putInt((int) e.size())
          .putShort((short) e.name().length).putShort((short) 0).putShort((short) 0) // name, extra, comment lengths
          .putShort((short) 0).putShort((short) 0).putInt(0) // disk, internal and external attributes
          .putInt((int) e.offset()).put(e.name());
      write(c.array());
    }
    long cdSize = position - cdStart;
    checkLimits(position + 22);
    if (entries.size() > 0xFFFF) {
      throw new IOException("checkpoint of " + entries.size() + " tensors exceeds the 65535 entries of a zip without zip64");
    }
    ByteBuffer end = le(22);
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
        .putShort((short) entries.size()).putShort((short) entries.size())
        .putInt((int) cdSize).putInt((int) cdStart).putShort((short) 0);
    write(end.array());
  }

  private static void checkLimits(long offset) throws IOException {
    if (offset >= MAX_CLASSIC) {
      throw new IOException("checkpoint larger than 4 GiB: the .pt writer does not write zip64; use .safetensors");
    }
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    position += bytes.length;
  }

  private void write(ByteBuffer data) throws IOException {
    ByteBuffer b = data.duplicate();
    if (b.hasArray()) {
      out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      position += b.remaining();
      return;
    }
    byte[] chunk = new byte[1 << 16];
    while (b.hasRemaining()) {
      int n = Math.min(chunk.length, b.remaining());
      b.get(chunk, 0, n);
      out.write(chunk, 0, n);
      position += n;
    }
  }
}

package io.remoteclip.npy;

import io.remoteclip.DataFormatException;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0, 2.0 and 3.0; little-endian or byte-sized
 * dtypes; C order). Layout: magic {@code \x93NUMPY}, major, minor, header length (u16 in 1.0, u32
 * after), an ASCII Python dict literal padded with spaces to a 64-byte boundary and ending in '\n',
 * then the raw array bytes.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Where a file's array starts, its little-endian dtype, shape and byte count. */
  private record Header(String dtype, int[] shape, long dataStart, long bytes) {}

  public static NpyArray read(Path file) throws DataFormatException, IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Header h = header(ch, file);
      if (h.bytes() > Integer.MAX_VALUE) {
        throw new DataFormatException(file + ": array of " + h.bytes() + " bytes is too large");
      }
      ByteBuffer data = ByteBuffer.allocate((int) h.bytes());
      readFully(ch, data, h.dataStart());
      data.flip();
      return new NpyArray(h.dtype(), h.shape(), data);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file + ": no such file");
    }
  }

  private static Header header(FileChannel ch, Path file) throws DataFormatException, IOException {
    long fileSize = ch.size();
    ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, head, 0);
    head.flip();
    if (head.remaining() < 10) {
      throw new DataFormatException(file + ": not a .npy file (only " + fileSize + " bytes)");
    }
    for (byte b : MAGIC) {
      if (head.get() != b) {
        throw new DataFormatException(file + ": not a .npy file (bad magic)");
      }
    }
    int major = head.get() & 0xff;
    head.get();
    long headerLen;
    long dataStart;
    if (major == 1) {
      headerLen = head.getShort(8) & 0xffff;
      dataStart = 10 + headerLen;
    } else if (major == 2 || major == 3) {
      if (head.limit() < 12) {
        throw new DataFormatException(file + ": truncated .npy header");
      }
      headerLen = head.getInt(8) & 0xffffffffL;
      dataStart = 12 + headerLen;
    } else {
      throw new DataFormatException(file + ": unsupported .npy format version " + major);
    }
    if (dataStart > fileSize || headerLen > 1 << 20) {
      throw new DataFormatException(file + ": truncated .npy header");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(ch, hb, dataStart - headerLen);
    String header = new String(hb.array(), 0, hb.position(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, file, "descr");
    if (group(FORTRAN, header, file, "fortran_order").equals("True")) {
      throw new DataFormatException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
    }
    int[] shape = parseShape(group(SHAPE, header, file, "shape"), file);
    if (descr.length() < 3 || descr.charAt(0) == '>' || !descr.substring(1).matches("[fiub][1248]")) {
      throw new DataFormatException(file + ": unsupported dtype '" + descr + "' (expected little-endian float/int)");
    }
    if (descr.charAt(0) == '=') {
      descr = "<" + descr.substring(1);
    }
    long bytes = NpyArray.count(shape) * Integer.parseInt(descr.substring(2));
    if (dataStart + bytes > fileSize) {
      throw new DataFormatException(file + ": truncated .npy data: " + (fileSize - dataStart) + " bytes vs expected " + bytes);
    }
    return new Header(descr.charAt(0) == '|' ? descr : "<" + descr.substring(1), shape, dataStart, bytes);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        return;
      }
      pos += n;
    }
  }

  private static String group(Pattern p, String header, Path file, String key) throws DataFormatException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new DataFormatException(file + ": .npy header has no '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(String s, Path file) throws DataFormatException {
    List<Integer> dims = new ArrayList<>();
    for (String part : s.split(",")) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        dims.add(Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
      } catch (NumberFormatException e) {
        throw new DataFormatException(file + ": bad .npy shape (" + s + ")");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Writes {@code array} atomically (temp file + rename) in format 1.0. */
  public static void write(Path file, NpyArray array) throws IOException {
    AtomicFiles.write(file, out -> write(out, array));
  }

  public static void write(OutputStream out, NpyArray array) throws IOException {
    writeHeader(out, array.dtype(), array.shape());
    ByteBuffer d = array.data().duplicate();
    d.rewind();
    byte[] chunk = new byte[1 << 16];
    while (d.hasRemaining()) {
      int n = Math.min(chunk.length, d.remaining());
      d.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  private static void writeHeader(OutputStream out, String dtype, int[] dims) throws IOException {
    StringBuilder shape = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      shape.append(dims[i]).append(dims.length == 1 ? "," : (i + 1 < dims.length ? ", " : ""));
    }
    shape.append(')');
    StringBuilder header = new StringBuilder("{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }");
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header.append(" ".repeat(pad)).append('\n');
    out.write(MAGIC);
    out.write(1);
    out.write(0);
    int len = header.length();
    out.write(len & 0xff);
    out.write((len >> 8) & 0xff);
    out.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  public static void writeFloats(Path file, float[] values, int... shape) throws IOException {
    write(file, NpyArray.ofFloats(values, shape));
  }

  public static void writeLongs(Path file, long[] values, int... shape) throws IOException {
    write(file, NpyArray.ofLongs(values, shape));
  }

  /**
   * Reads a file that must hold a 2-d numeric array, as float32 rows. The rows are read a block at a time, so a
   * matrix may be larger than one Java array (a million 1,024-dimensional rows are 4 GB).
   */
  public static float[][] readMatrix(Path file) throws DataFormatException, IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Header h = header(ch, file);
      if (h.shape().length != 2) {
        throw new DataFormatException(file + ": expected a 2-d array, shape is " + java.util.Arrays.toString(h.shape()));
      }
      int rows = h.shape()[0];
      int cols = h.shape()[1];
      float[][] out = new float[rows][];
      long rowBytes = h.bytes() / Math.max(1, rows);
      int perBlock = (int) Math.max(1, Math.min(rows, (1 << 22) / Math.max(1, rowBytes)));
      for (int r = 0; r < rows; r += perBlock) {
        int n = Math.min(perBlock, rows - r);
        ByteBuffer block = ByteBuffer.allocate(Math.toIntExact(n * rowBytes));
        readFully(ch, block, h.dataStart() + r * rowBytes);
        block.flip();
        float[][] part = new NpyArray(h.dtype(), new int[] {n, cols}, block).matrix();
        System.arraycopy(part, 0, out, r, n);
      }
      return out;
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file + ": no such file");
    }
  }

  /**
   * Writes {@code rows} (each {@code cols} values) as a float32 matrix, atomically, a row at a time: the file may
   * be larger than one Java array.
   */
  public static void writeMatrix(Path file, float[][] rows, int cols) throws IOException {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + cols);
      }
    }
    AtomicFiles.write(file, out -> {
      writeHeader(out, "<f4", new int[] {rows.length, cols});
      ByteBuffer row = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] r : rows) {
        row.clear();
        row.asFloatBuffer().put(r);
        out.write(row.array(), 0, cols * 4);
      }
    });
  }

  /** Reads a 1-d integer array (labels, indices). */
  public static int[] readLabels(Path file) throws DataFormatException, IOException {
    NpyArray a = read(file);
    if (a.shape().length != 1 || a.kind() == 'f') {
      throw new DataFormatException(file + ": expected a 1-d integer array, got " + a.dtype() + " " + java.util.Arrays.toString(a.shape()));
    }
    return a.ints();
  }
}

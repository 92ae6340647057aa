package io.remoteclip.checkpoint;

import io.remoteclip.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.ProgressListener;
import io.remoteclip.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file.
 *
 * <h2>Layout</h2>
 *
 * <pre>
 * u64 LE   N, the header length (at most {@value #MAX_HEADER_BYTES} bytes here, and within the file)
 * N bytes  UTF-8 JSON object: name → {"dtype": "F32", "shape": [d0, ...], "data_offsets": [begin, end]},
 *          plus an optional "__metadata__": {string: string} (ignored); often space-padded to 8 bytes
 * rest     the data buffer; a tensor's bytes are [8 + N + begin, 8 + N + end), C order, little-endian
 * </pre>
 *
 * Every length is checked before anything is allocated: the header length against the bound and the file
 * size, each tensor's {@code end - begin} against shape × dtype size, and {@code end} against the file size.
 * Tensors are returned in the order of their data in the file. Their bytes stay in the file until a tensor is
 * used ({@link TensorData#readInto}, {@link TensorData#data}): reading the header costs no more than the header.
 */
public final class SafetensorsReader {
  /** Refuse larger headers before allocating (real headers are a few hundred KB). */
  public static final long MAX_HEADER_BYTES = 100L << 20;
  static final String METADATA = "__metadata__";

  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  private SafetensorsReader() {}

  public static StateDict read(Path file) throws IOException {
    return read(file, ProgressListener.NONE);
  }

  /** Reads {@code file}, reporting progress in bytes of tensor data read. */
  public static StateDict read(Path file, ProgressListener progress) throws IOException {
    OpenedFile opened = OpenedFile.of(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      long headerLength = readFully(ch, 0, 8, file).getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
        throw new CorruptCheckpointException(file + ": safetensors header length " + Long.toUnsignedString(headerLength)
            + " vs file size " + fileSize + " (limit " + MAX_HEADER_BYTES + " bytes): not a safetensors file or truncated");
      }
      long dataStart = 8 + headerLength;
      List<Entry> entries = parseHeader(readFully(ch, 8, (int) headerLength, file), file, fileSize - dataStart);
      progress.start("reading " + file.getFileName(), fileSize - dataStart);
      try {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        long done = 0;
        for (Entry e : entries) {
          long length = e.end() - e.begin();
          tensors.put(e.name(), TensorData.stored(e.dtype(), e.shape(), new Region(opened, dataStart + e.begin(), length)));
          done += length;
          progress.update(done);
        }
        List<String> notes = new ArrayList<>();
        return new StateDict(KeyNormalizer.stripModulePrefix(tensors, notes), file, notes);
      } finally {
        progress.finish();
      }
    }
  }

  private static List<Entry> parseHeader(ByteBuffer header, Path file, long dataSize) throws IOException {
    JsonNode root;
    try {
      root = Json.mapper().readTree(StandardCharsets.UTF_8.decode(header).toString());
    } catch (JsonProcessingException e) {
      throw new CorruptCheckpointException(file + ": safetensors header is not valid JSON ("
          + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new CorruptCheckpointException(file + ": safetensors header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getKey().equals(METADATA)) {
        entries.add(entry(f.getKey(), f.getValue(), file, dataSize));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin));
    return entries;
  }

  private static Entry entry(String name, JsonNode node, Path file, long dataSize) throws IOException {
    String where = file + ": tensor '" + name + "'";
    JsonNode dtypeNode = node.get("dtype");
    JsonNode shapeNode = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtypeNode == null || !dtypeNode.isTextual() || shapeNode == null || !shapeNode.isArray() || offsets == null
        || !offsets.isArray() || offsets.size() != 2) {
      throw new CorruptCheckpointException(where + ": header entry " + node + " lacks dtype, shape or data_offsets");
    }
    DType dtype = DType.fromSafetensors(dtypeNode.asText());
    if (dtype == null) {
      throw new UnsupportedFormatException(where + ": unsupported dtype " + dtypeNode.asText());
    }
    long[] shape = new long[shapeNode.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = nonNegative(shapeNode.get(i), where + ": shape");
      numel = multiply(numel, shape[i], where);
    }
    long begin = nonNegative(offsets.get(0), where + ": data_offsets");
    long end = nonNegative(offsets.get(1), where + ": data_offsets");
    long expected = multiply(numel, dtype.size(), where);
    if (end < begin || end > dataSize) {
      throw new CorruptCheckpointException(where + ": data_offsets [" + begin + ", " + end
          + "] outside the data buffer of " + dataSize + " bytes (truncated file?)");
    }
    if (end - begin != expected) {
      throw new CorruptCheckpointException(where + ": data_offsets span " + (end - begin) + " bytes vs expected "
          + expected + " for shape " + shapeNode + " of " + dtype);
    }
    if (expected > Integer.MAX_VALUE - 8) {
      throw new UnsupportedFormatException(where + ": " + expected + " bytes, larger than 2 GiB");
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static long nonNegative(JsonNode n, String what) throws CorruptCheckpointException {
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
      throw new CorruptCheckpointException(what + " holds " + n + ", not a non-negative integer");
    }
    return n.asLong();
  }

  private static long multiply(long a, long b, String where) throws CorruptCheckpointException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new CorruptCheckpointException(where + ": shape overflows 64 bits");
    }
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int length, Path file) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    read(ch, position, b, length, file);
    return b.flip();
  }

  /**
   * Reads {@code length} bytes at {@code position} into {@code dst}. A heap destination is filled a chunk at a
   * time: the JDK reads into heap buffers through a temporary direct buffer of the read's size, which it keeps.
   */
  private static void read(FileChannel ch, long position, ByteBuffer dst, long length, Path file) throws IOException {
    int chunk = dst.isDirect() ? Integer.MAX_VALUE : 1 << 20;
    long done = 0;
    while (done < length) {
      ByteBuffer part = dst.duplicate();
      part.limit((int) Math.min(dst.position() + length - done, (long) dst.position() + chunk));
      int n = ch.read(part, position + done);
      if (n < 0) {
        throw new CorruptCheckpointException(file + ": ends at byte " + (position + done) + " vs expected "
            + (position + length) + " (truncated)");
      }
      done += n;
      dst.position(dst.position() + n);
    }
  }

  /** A tensor's bytes in the data buffer, read when the tensor is used. */
  private record Region(OpenedFile file, long position, long length) implements TensorData.StoredBytes {
    @Override
    public void readInto(ByteBuffer dst) throws IOException {
      file.checkUnchanged();
      try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
        read(ch, position, dst, length, file.path());
      }
    }

    @Override
    public TensorData.StoredBytes slice(long offset, long bytes) {
      return new Region(file, position + offset, bytes);
    }
  }
}

package io.remoteclip.checkpoint;

import io.remoteclip.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a state dict as {@code .safetensors} (layout in {@link SafetensorsReader}): tensors in key order,
 * back to back, header JSON space-padded to a multiple of 8 bytes, optional {@code __metadata__}. The file
 * appears atomically.
 */
public final class SafetensorsWriter {
  private SafetensorsWriter() {}

  public static void write(Path file, StateDict stateDict) throws IOException {
    write(file, stateDict, Map.of());
  }

  /** {@code metadata} goes to {@code __metadata__} (omitted when empty), e.g. {@code {"format": "pt"}}. */
  public static void write(Path file, StateDict stateDict, Map<String, String> metadata) throws IOException {
    ObjectMapper json = Json.mapper();
    ObjectNode header = json.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject(SafetensorsReader.METADATA);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, TensorData> e : stateDict.asMap().entrySet()) {
      TensorData t = e.getValue();
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", t.dtype().safetensorsName());
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long end = offset + t.byteSize();
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] text = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (text.length + 7) / 8 * 8;
    byte[] headerBytes = new byte[padded];
    System.arraycopy(text, 0, headerBytes, 0, text.length);
    java.util.Arrays.fill(headerBytes, text.length, padded, (byte) ' ');

    AtomicFiles.write(file, out -> {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      byte[] chunk = new byte[1 << 16];
      for (TensorData t : stateDict.asMap().values()) {
        ByteBuffer b = t.data().duplicate();
        while (b.hasRemaining()) {
          int n = Math.min(chunk.length, b.remaining());
          b.get(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
    });
  }
}

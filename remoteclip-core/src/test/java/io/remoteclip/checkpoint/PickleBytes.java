package io.remoteclip.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Hand-assembles pickles and torch-style zips for tests that need malformed or unusual input. */
final class PickleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static PickleBytes proto2() {
    return new PickleBytes().op(0x80).op(2);
  }

  PickleBytes op(int... codes) {
    for (int c : codes) {
      out.write(c);
    }
    return this;
  }

  PickleBytes global(String module, String name) {
    op('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  PickleBytes str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    out.writeBytes(b);
    return this;
  }

  PickleBytes int1(int v) {
    return op('K', v);
  }

  /** {@code _rebuild_tensor_v2(("storage", torch.FloatStorage, key, "cpu", numel), 0, (numel,), (1,), False, OrderedDict())}. */
  PickleBytes floatTensor(String key, int numel) {
    global("torch._utils", "_rebuild_tensor_v2").op('(');
    op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").int1(numel).op('t', 'Q');
    int1(0).int1(numel).op(0x85).int1(1).op(0x85).op(0x89);
    return global("collections", "OrderedDict").op(')', 'R', 't', 'R');
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** A zip laid out as torch does: {@code archive/data.pkl}, the given {@code archive/data/<key>} and extra entries. */
  static Path torchZip(Path file, byte[] pickle, Map<String, byte[]> entries) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      StoredZipWriter zip = new StoredZipWriter(os);
      zip.add("archive/data.pkl", pickle);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.add("archive/" + e.getKey(), e.getValue());
      }
      zip.add("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
      zip.finish();
    }
    return file;
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }
}

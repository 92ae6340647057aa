package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.CorruptCheckpointException;
import io.remoteclip.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one clear line naming the file, of the right exception type; nothing is executed. */
class CheckpointErrorTest {
  @TempDir Path tmp;

  private static <T extends IOException> T fails(Class<T> type, Path file, String expected, Executable read) {
    T e = assertThrows(type, read);
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), "names the file: " + m);
    assertTrue(m.contains(expected), "says '" + expected + "': " + m);
    assertFalse(m.contains("\n"), "one line: " + m);
    return e;
  }

  private Path validPt() throws IOException {
    Path file = tmp.resolve("valid.pt");
    PtCheckpointWriter.write(file, CheckpointWriterTest.everyDtype());
    return file;
  }

  @Test
  void truncatedZip() throws Exception {
    byte[] whole = Files.readAllBytes(validPt());
    Path cut = Files.write(tmp.resolve("cut.pt"), Arrays.copyOf(whole, whole.length / 2));
    fails(CorruptCheckpointException.class, cut, "truncated or corrupt zip archive", () -> Checkpoints.read(cut));
  }

  @Test
  void damagedStorageFailsItsCrc() throws Exception {
    byte[] bytes = Files.readAllBytes(validPt());
    bytes[4 * 64 + 3] ^= 0x55; // inside an early storage: data.pkl and byteorder are small
    Path bad = Files.write(tmp.resolve("flipped.pt"), bytes);
    fails(CorruptCheckpointException.class, bad, "CRC", () -> Checkpoints.read(bad));
  }

  @Test
  void randomBytes() throws Exception {
    long seed = 7007;
    byte[] noise = new byte[4096];
    new Random(seed).nextBytes(noise);
    noise[0] = 'x'; // not PK, not a pickle
    noise[8] = 'y'; // not a JSON header either
    Path file = Files.write(tmp.resolve("noise.bin"), noise);
    fails(UnsupportedFormatException.class, file, "accepted: PyTorch", () -> Checkpoints.read(file));
    fails(CorruptCheckpointException.class, file, "truncated or corrupt zip archive", () -> PtCheckpointReader.read(file));
  }

  @Test
  void emptyFile() throws Exception {
    Path file = Files.write(tmp.resolve("empty.pt"), new byte[0]);
    fails(UnsupportedFormatException.class, file, "unknown checkpoint format", () -> Checkpoints.read(file));
  }

  @Test
  void torchScriptArchiveIsRefusedWithAdvice() throws Exception {
    byte[] pickle = PickleBytes.proto2().op('}', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("ViT-B-32.pt"), pickle,
        Map.of("constants.pkl", PickleBytes.proto2().op(')', '.').bytes(), "code/__torch__/model.py", new byte[] {'#'}));
    UnsupportedFormatException e = fails(UnsupportedFormatException.class, file, "TorchScript archive",
        () -> Checkpoints.read(file));
    assertTrue(e.getMessage().contains("torch.save(model.state_dict()"), e.getMessage());
  }

  @Test
  void legacyTorchPickleIsRefusedWithAdvice() throws Exception {
    // torch < 1.6 files start with the pickled magic number 0x1950a86a20f9469cfc6c (protocol 2)
    byte[] legacy = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
        (byte) 0xa8, 0x50, 0x19, 0x2e};
    Path file = Files.write(tmp.resolve("old.pth"), legacy);
    fails(UnsupportedFormatException.class, file, "re-save it with a modern torch", () -> Checkpoints.read(file));
    Path pickled = Files.write(tmp.resolve("pickled.pkl"), PickleBytes.proto2().op('}', '.').bytes());
    fails(UnsupportedFormatException.class, pickled, "bare pickle, not a zip archive", () -> Checkpoints.read(pickled));
  }

  @Test
  void globalOsSystemIsRefusedNotExecuted() throws Exception {
    Path marker = tmp.resolve("pwned");
    byte[] pickle = PickleBytes.proto2().global("os", "system").str("touch " + marker).op(0x85, 'R', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("evil.pt"), pickle, Map.of());
    fails(UnsupportedFormatException.class, file, "unknown class os.system in pickle at offset 2; refusing to execute it",
        () -> Checkpoints.read(file));
    assertFalse(Files.exists(marker));
  }

  @Test
  void stackGlobalIsCheckedToo() throws Exception {
    byte[] pickle = PickleBytes.proto2().str("builtins").str("eval").op(0x93).str("1").op(0x85, 'R', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("evil2.pt"), pickle, Map.of());
    fails(UnsupportedFormatException.class, file, "unknown class builtins.eval in pickle at offset", () -> Checkpoints.read(file));
  }

  @Test
  void unknownOpcode() throws Exception {
    byte[] pickle = PickleBytes.proto2().op('}').op('I').op('1', '\n', '.').bytes(); // INT: protocol 0 text opcode
    Path file = PickleBytes.torchZip(tmp.resolve("op.pt"), pickle, Map.of());
    fails(UnsupportedFormatException.class, file, "unsupported pickle opcode 0x49 at offset 3", () -> Checkpoints.read(file));
  }

  @Test
  void selfContainingListAsDictKeyIsRefusedNotHashed() throws Exception {
    // d = {}; l = []; l.append(l); d[l] = 1  (hashing l would recurse forever)
    byte[] pickle = PickleBytes.proto2().op('}', ']', '2', 'a').int1(1).op('s', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("cycle.pt"), pickle, Map.of());
    fails(CorruptCheckpointException.class, file, "dict key of type list is not supported", () -> Checkpoints.read(file));
  }

  @Test
  void expandedViewWhoseSizeOverflowsIsCorrupt() throws Exception {
    // _rebuild_tensor_v2(storage of 2 floats, 0, size (2**62, 2**62), stride (0, 0), ...)
    PickleBytes p = PickleBytes.proto2().op('}', '(').str("x").global("torch._utils", "_rebuild_tensor_v2").op('(');
    p.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").int1(2).op('t', 'Q');
    int[] big = {0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0x40}; // LONG1 2**62
    p.int1(0).op(big).op(big).op(0x86).int1(0).int1(0).op(0x86).op(0x89).global("collections", "OrderedDict")
        .op(')', 'R', 't', 'R', 'u', '.');
    Path file = PickleBytes.torchZip(tmp.resolve("expand.pt"), p.bytes(), Map.of("data/0", PickleBytes.floats(1, 2)));
    fails(CorruptCheckpointException.class, file, "overflows 64 bits", () -> Checkpoints.read(file));
  }

  @Test
  void truncatedPickle() throws Exception {
    byte[] full = PickleBytes.proto2().op('}', '(').str("a").floatTensor("0", 2).op('u', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("short.pt"), Arrays.copyOf(full, full.length - 10),
        Map.of("data/0", PickleBytes.floats(1, 2)));
    fails(CorruptCheckpointException.class, file, "malformed pickle", () -> Checkpoints.read(file));
  }

  @Test
  void storageSizeDisagreeingWithPickle() throws Exception {
    byte[] pickle = PickleBytes.proto2().op('}', '(').str("a").floatTensor("0", 3).op('u', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("size.pt"), pickle, Map.of("data/0", PickleBytes.floats(1, 2)));
    fails(CorruptCheckpointException.class, file, "has 8 bytes vs expected 12", () -> Checkpoints.read(file));
  }

  @Test
  void missingStorage() throws Exception {
    byte[] pickle = PickleBytes.proto2().op('}', '(').str("a").floatTensor("5", 2).op('u', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("missing.pt"), pickle, Map.of());
    fails(CorruptCheckpointException.class, file, "archive/data/5 is missing", () -> Checkpoints.read(file));
  }

  @Test
  void topLevelListIsNotAStateDict() throws Exception {
    byte[] pickle = PickleBytes.proto2().op(']', '(').floatTensor("0", 2).op('e', '.').bytes();
    Path file = PickleBytes.torchZip(tmp.resolve("list.pt"), pickle, Map.of("data/0", PickleBytes.floats(1, 2)));
    fails(UnsupportedFormatException.class, file, "top level of the pickle is a list, not a dict of tensors",
        () -> Checkpoints.read(file));
  }

  private Path safetensors(String name, long headerLength, String json, int dataBytes) throws IOException {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLength).put(header);
    return Files.write(tmp.resolve(name), b.array());
  }

  @Test
  void safetensorsHugeHeaderLengthIsRefusedBeforeAllocating() throws Exception {
    Path file = safetensors("huge.safetensors", 1L << 40, "{}", 0);
    fails(CorruptCheckpointException.class, file, "header length 1099511627776", () -> Checkpoints.read(file));
    Path beyond = safetensors("beyond.safetensors", 4096, "{\"a\":1}", 0);
    fails(CorruptCheckpointException.class, beyond, "vs file size 15", () -> Checkpoints.read(beyond));
  }

  @Test
  void safetensorsOffsetsBeyondTheFile() throws Exception {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}}";
    Path file = safetensors("short.safetensors", json.length(), json, 16);
    fails(CorruptCheckpointException.class, file, "outside the data buffer of 16 bytes", () -> Checkpoints.read(file));
  }

  @Test
  void safetensorsOffsetsDisagreeingWithShape() throws Exception {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}";
    Path file = safetensors("span.safetensors", json.length(), json, 16);
    fails(CorruptCheckpointException.class, file, "span 8 bytes vs expected 16", () -> Checkpoints.read(file));
  }

  @Test
  void safetensorsUnknownDtype() throws Exception {
    String json = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}";
    Path file = safetensors("fp8.safetensors", json.length(), json, 4);
    fails(UnsupportedFormatException.class, file, "unsupported dtype F8_E4M3", () -> Checkpoints.read(file));
  }
}

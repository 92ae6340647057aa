package io.remoteclip.checkpoint;

import static io.remoteclip.checkpoint.GoldenCheckpointTest.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write → read round trips of both writers, and the on-disk layout torch expects. */
class CheckpointWriterTest {
  @TempDir Path tmp;

  /** One tensor of every dtype, a 0-d tensor, an empty tensor and an int64 beyond 32 bits. */
  static StateDict everyDtype() {
    Map<String, TensorData> m = new LinkedHashMap<>();
    float[] v = new float[24];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.75f - 7;
    }
    TensorData f = TensorData.ofFloats(v, 2, 3, 4);
    for (DType t : DType.values()) {
      m.put("t." + t.name().toLowerCase(), f.convertTo(t));
    }
    m.put("logit_scale", TensorData.ofFloats(new float[] {2.4353502f}));
    m.put("empty", new TensorData(DType.FLOAT32, new long[] {0, 5}, ByteBuffer.allocate(0)));
    m.put("num_batches_tracked", new TensorData(DType.INT64, new long[] {},
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 5_000_000_000L)));
    return new StateDict(m, null);
  }

  @Test
  void ptRoundTripPreservesEveryDtypeAndOrder() throws Exception {
    StateDict sd = everyDtype();
    Path file = tmp.resolve("mixed.pt");
    PtCheckpointWriter.write(file, sd);
    StateDict back = Checkpoints.read(file);
    assertSameBytes(sd, back);
    assertEquals(5_000_000_000L, back.get("num_batches_tracked").data().getLong(0));
  }

  @Test
  void safetensorsRoundTripPreservesEveryDtypeAndMetadata() throws Exception {
    StateDict sd = everyDtype();
    Path file = tmp.resolve("mixed.safetensors");
    SafetensorsWriter.write(file, sd, Map.of("format", "pt"));
    assertSameBytes(sd, Checkpoints.read(file));

    ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long n = head.getLong(0);
    assertEquals(0, n % 8, "header padded to 8 bytes");
    JsonNode header = new ObjectMapper().readTree(new String(Files.readAllBytes(file), 8, (int) n, StandardCharsets.UTF_8));
    assertEquals("pt", header.get("__metadata__").get("format").asText());
    assertEquals("BF16", header.get("t.bfloat16").get("dtype").asText());
    assertEquals(Files.size(file), 8 + n + header.get("num_batches_tracked").get("data_offsets").get(1).asLong(),
        "last tensor ends at the end of the file");
  }

  @Test
  void goldenCheckpointsSurviveRewriting() throws Exception {
    for (String name : List.of("golden/vit-tiny/model.pt", "golden/rn-tiny/model.pt", "golden/vit-tiny/model_fp16.pt")) {
      StateDict original = Checkpoints.read(Fixtures.require(name));
      Path pt = tmp.resolve("rewritten.pt");
      Checkpoints.write(pt, original);
      assertSameBytes(original, Checkpoints.read(pt));
      Path st = tmp.resolve("rewritten.safetensors");
      Checkpoints.write(st, original);
      assertSameBytes(original, Checkpoints.read(st));
    }
  }

  @Test
  void ptLayoutIsWhatTorchWrites() throws Exception {
    Path file = tmp.resolve("RemoteCLIP-tiny.pt");
    PtCheckpointWriter.write(file, everyDtype());
    byte[] bytes = Files.readAllBytes(file);
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        names.add(e.getName());
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
      }
      assertEquals("3\n", new String(zip.getInputStream(zip.getEntry("RemoteCLIP-tiny/version")).readAllBytes(),
          StandardCharsets.US_ASCII));
    }
    assertEquals("RemoteCLIP-tiny/data.pkl", names.get(0), "torch takes the archive folder from the first entry");
    assertTrue(names.contains("RemoteCLIP-tiny/data/12"), names.toString());
    // every local header's data starts on a 64-byte boundary
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int offset = 0;
    int headers = 0;
    while (b.getInt(offset) == 0x04034b50) {
      int size = b.getInt(offset + 18);
      int dataStart = offset + 30 + (b.getShort(offset + 26) & 0xffff) + (b.getShort(offset + 28) & 0xffff);
      assertEquals(0, dataStart % StoredZipWriter.ALIGNMENT, "entry " + headers + " data at " + dataStart);
      assertEquals('F', bytes[offset + 30 + (b.getShort(offset + 26) & 0xffff)], "FB padding record");
      offset = dataStart + size;
      headers++;
    }
    assertEquals(names.size(), headers);
    // the pickle is protocol 2 and starts with collections.OrderedDict, like torch.save of a state_dict
    byte[] pickle;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      pickle = zip.getInputStream(zip.getEntry("RemoteCLIP-tiny/data.pkl")).readAllBytes();
    }
    assertEquals("\u0080\u0002ccollections\nOrderedDict\n", new String(pickle, 0, 27, StandardCharsets.ISO_8859_1));
  }

  @Test
  void checkpointsWriteChoosesFormatByExtension() throws Exception {
    StateDict sd = everyDtype();
    Path st = tmp.resolve("w.SafeTensors");
    Path pt = tmp.resolve("w.bin");
    Checkpoints.write(st, sd);
    Checkpoints.write(pt, sd);
    assertArrayEquals(new byte[] {'P', 'K'}, java.util.Arrays.copyOf(Files.readAllBytes(pt), 2));
    assertEquals('{', Files.readAllBytes(st)[8]);
  }
}

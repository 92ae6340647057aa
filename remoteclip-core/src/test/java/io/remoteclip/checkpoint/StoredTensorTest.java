package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.CorruptCheckpointException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tensors read from a checkpoint stay in the file until used: the bytes then read (onto the heap or into a
 * direct buffer) are the ones written, and a file changed in between is refused, not mixed with the old header.
 */
class StoredTensorTest {
  @TempDir Path tmp;

  private Path written(String name) throws Exception {
    Path file = tmp.resolve(name);
    Checkpoints.write(file, CheckpointWriterTest.everyDtype());
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"every.pt", "every.safetensors"})
  void tensorsAreReadFromTheFileWhenUsed(String name) throws Exception {
    StateDict expected = CheckpointWriterTest.everyDtype();
    StateDict sd = Checkpoints.read(written(name));
    for (Map.Entry<String, TensorData> e : expected.asMap().entrySet()) {
      TensorData t = sd.get(e.getKey(), e.getValue().shape());
      assertEquals(e.getValue().dtype(), t.dtype());
      assertEquals(t.numel() == 0 && name.endsWith(".pt"), t.inMemory(), e.getKey() + " left in the file");
      assertEquals(e.getValue().data(), t.data(), e.getKey() + " on the heap");
      // into a direct buffer at an offset, as the weight loader reuses one staging buffer
      ByteBuffer direct = ByteBuffer.allocateDirect((int) t.byteSize() + 3).order(ByteOrder.LITTLE_ENDIAN);
      direct.position(3);
      t.readInto(direct);
      assertEquals(direct.capacity(), direct.position());
      assertEquals(e.getValue().data(), direct.position(3), e.getKey() + " in a direct buffer");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"changed.pt", "changed.safetensors"})
  void aFileRewrittenAfterReadingIsRefused(String name) throws Exception {
    Path file = written(name);
    StateDict sd = Checkpoints.read(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 200] ^= 0x11;
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 60_000));
    CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
        () -> sd.get("t.float32").readInto(ByteBuffer.allocate(96)));
    assertTrue(e.getMessage().startsWith(file + ": changed while its tensors were being read"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());

    Files.delete(file);
    e = assertThrows(CorruptCheckpointException.class, () -> sd.get("t.float32").readInto(ByteBuffer.allocate(96)));
    assertEquals(file + ": deleted while its tensors were being read; load it again", e.getMessage());
  }
}

package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.testing.BundledModel;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * open_clip training checkpoints ({@code {"epoch", "name", "state_dict": {"module.…"}, "optimizer"}}, as its
 * {@code main.py} saves them under DistributedDataParallel) and SkyCLIP-style zips holding one: both read as the
 * plain state dict they wrap, every tensor byte for byte.
 */
class TrainingCheckpointTest {
  @TempDir Path tmp;

  @Test
  void aTrainingCheckpointReadsAsItsStateDict() throws Exception {
    StateDict plain = Checkpoints.read(BundledModel.weights());
    Path pt = writeTrainingCheckpoint(plain, tmp.resolve("epoch_7.pt"), 7);
    StateDict sd = Checkpoints.read(pt);
    assertSameTensors(plain, sd);
    assertEquals(List.of("training checkpoint: weights from entry 'state_dict' (epoch 7)",
        "'module.' prefix removed (DistributedDataParallel)"), sd.notes());
  }

  @Test
  void aZipHoldingATrainingCheckpointReadsAsItsStateDict() throws Exception {
    StateDict plain = Checkpoints.read(BundledModel.weights());
    Path zip = tmp.resolve("skyclip-mini.zip");
    zipOf(zip, Map.of("skyclip_mini/params.txt", Files.writeString(tmp.resolve("params.txt"), "model: mini\n"),
        "skyclip_mini/checkpoints/epoch_20.pt", writeTrainingCheckpoint(plain, tmp.resolve("e20.pt"), 20)));
    StateDict sd = Checkpoints.read(zip);
    assertSameTensors(plain, sd);
    assertEquals(zip, sd.source());
    assertEquals("checkpoint skyclip_mini/checkpoints/epoch_20.pt inside the zip archive", sd.notes().get(0));
    assertTrue(sd.notes().get(1).contains("(epoch 20)"), sd.notes().toString());
  }

  @Test
  void ofSeveralEpochsTheLatestIsTakenAndOtherwiseTheChoiceIsRefused() throws Exception {
    StateDict plain = Checkpoints.read(BundledModel.weights());
    Path e3 = writeTrainingCheckpoint(plain, tmp.resolve("e3.pt"), 3);
    Path e12 = writeTrainingCheckpoint(plain, tmp.resolve("e12.pt"), 12);
    Path epochs = tmp.resolve("epochs.zip");
    zipOf(epochs, Map.of("run/epoch_3.pt", e3, "run/epoch_12.pt", e12));
    assertTrue(Checkpoints.read(epochs).notes().get(0).contains("run/epoch_12.pt"));
    Path two = tmp.resolve("two.zip");
    zipOf(two, Map.of("a.pt", e3, "b.safetensors", BundledModel.weights()));
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Checkpoints.read(two));
    assertTrue(e.getMessage().startsWith(two + ": zip archive holds 2 checkpoints"), e.getMessage());
  }

  @Test
  void aZipWithoutACheckpointIsRefusedNamingIt() throws Exception {
    Path zip = tmp.resolve("notes.zip");
    zipOf(zip, Map.of("readme.txt", Files.writeString(tmp.resolve("r.txt"), "no weights here\n")));
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Checkpoints.read(zip));
    assertTrue(e.getMessage().startsWith(zip + ": zip archive holds no checkpoint"), e.getMessage());
  }

  /** {@code plain} under {@code module.} inside open_clip's training wrapper, with AdamW moments for two tensors. */
  static Path writeTrainingCheckpoint(StateDict plain, Path file, int epoch) throws Exception {
    Map<String, TensorData> prefixed = new LinkedHashMap<>();
    plain.asMap().forEach((k, v) -> prefixed.put("module." + k, v));
    Map<Object, Object> state = new LinkedHashMap<>();
    int i = 0;
    for (TensorData t : plain.asMap().values()) {
      if (i == 2) {
        break;
      }
      Map<String, Object> moments = new LinkedHashMap<>();
      moments.put("step", TensorData.ofFloats(new float[] {100f}));
      moments.put("exp_avg", t);
      moments.put("exp_avg_sq", t);
      state.put(i++, moments);
    }
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("lr", 5e-5);
    group.put("betas", new Object[] {0.9, 0.98});
    group.put("eps", 1e-6);
    group.put("weight_decay", 0.2);
    group.put("amsgrad", false);
    group.put("foreach", null);
    group.put("params", List.of(0, 1));
    Map<String, Object> optimizer = new LinkedHashMap<>();
    optimizer.put("state", state);
    optimizer.put("param_groups", List.of(group));
    Map<String, Object> wrapper = new LinkedHashMap<>();
    wrapper.put("epoch", epoch);
    wrapper.put("name", "skyclip-like");
    wrapper.put("state_dict", null);
    wrapper.put("optimizer", optimizer);
    PtCheckpointWriter.writeWrapped(file, wrapper, "state_dict", new StateDict(prefixed, file));
    return file;
  }

  /** A deflated zip, as the {@code zip} tool writes, of {@code entries} (name → file). */
  static void zipOf(Path zip, Map<String, Path> entries) throws Exception {
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, Path> e : new java.util.TreeMap<>(entries).entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        Files.copy(e.getValue(), z);
        z.closeEntry();
      }
    }
  }

  static void assertSameTensors(StateDict expected, StateDict actual) {
    assertEquals(expected.keys(), actual.keys());
    for (String k : expected.keys()) {
      TensorData a = actual.asMap().get(k);
      assertArrayEquals(expected.asMap().get(k).shape(), a.shape(), k);
      assertEquals(expected.asMap().get(k).data(), a.data(), k);
    }
  }
}

package io.remoteclip.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.TrainingCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    Path pt = TrainingCheckpoints.write(plain, tmp.resolve("epoch_7.pt"), 7);
    StateDict sd = Checkpoints.read(pt);
    assertSameTensors(plain, sd);
    assertEquals(List.of("training checkpoint: weights from entry 'state_dict' (epoch 7)",
        "'module.' prefix removed (DistributedDataParallel)"), sd.notes());
  }

  @Test
  void aZipHoldingATrainingCheckpointReadsAsItsStateDict() throws Exception {
    StateDict plain = Checkpoints.read(BundledModel.weights());
    Path zip = tmp.resolve("skyclip-mini.zip");
    TrainingCheckpoints.zip(zip, Map.of("skyclip_mini/params.txt", Files.writeString(tmp.resolve("params.txt"), "model: mini\n"),
        "skyclip_mini/checkpoints/epoch_20.pt", TrainingCheckpoints.write(plain, tmp.resolve("e20.pt"), 20)));
    StateDict sd = Checkpoints.read(zip);
    assertSameTensors(plain, sd);
    assertEquals(zip, sd.source());
    assertEquals("checkpoint skyclip_mini/checkpoints/epoch_20.pt inside the zip archive", sd.notes().get(0));
    assertTrue(sd.notes().get(1).contains("(epoch 20)"), sd.notes().toString());
  }

  @Test
  void ofSeveralEpochsTheLatestIsTakenAndOtherwiseTheChoiceIsRefused() throws Exception {
    StateDict plain = Checkpoints.read(BundledModel.weights());
    Path e3 = TrainingCheckpoints.write(plain, tmp.resolve("e3.pt"), 3);
    Path e12 = TrainingCheckpoints.write(plain, tmp.resolve("e12.pt"), 12);
    Path epochs = tmp.resolve("epochs.zip");
    TrainingCheckpoints.zip(epochs, Map.of("run/epoch_3.pt", e3, "run/epoch_12.pt", e12));
    assertTrue(Checkpoints.read(epochs).notes().get(0).contains("run/epoch_12.pt"));
    Path two = tmp.resolve("two.zip");
    TrainingCheckpoints.zip(two, Map.of("a.pt", e3, "b.safetensors", BundledModel.weights()));
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Checkpoints.read(two));
    assertTrue(e.getMessage().startsWith(two + ": zip archive holds 2 checkpoints"), e.getMessage());
  }

  @Test
  void aZipWithoutACheckpointIsRefusedNamingIt() throws Exception {
    Path zip = tmp.resolve("notes.zip");
    TrainingCheckpoints.zip(zip, Map.of("readme.txt", Files.writeString(tmp.resolve("r.txt"), "no weights here\n")));
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Checkpoints.read(zip));
    assertTrue(e.getMessage().startsWith(zip + ": zip archive holds no checkpoint"), e.getMessage());
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

package io.remoteclip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.TrainTransform;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped and resumed gives the same losses and weights as the uninterrupted run (fixed seed). */
class TrainerResumeTest {
  private static final String ARCH = "vit:width=32,layers=1,patch=32,text-width=32,text-layers=1,embed=16";

  @TempDir Path tmp;

  @Test
  void resumedRunReplaysTheUninterruptedOne() throws Exception {
    Path images = tmp.resolve("images");
    Path vocab = BundledModel.vocab();
    Path csv = tmp.resolve("captions.csv");
    List<String> rows = new ArrayList<>(List.of("filepath\ttitle"));
    for (int k = 1; k <= 24; k++) {
      SampleImages.write(images.resolve(k * 80 + ".jpg"), k * 80);
      rows.add(images.resolve(k * 80 + ".jpg") + "\tscene number " + k + " seen from above");
      rows.add(images.resolve(k * 80 + ".jpg") + "\tanother caption of scene " + k);
    }
    Files.write(csv, rows);

    Path full = tmp.resolve("full");
    new Trainer(options(csv, vocab, full), s -> {}, ProgressListener.NONE).run(false);
    Path split = tmp.resolve("split");
    new Trainer(options(csv, vocab, split), s -> {}, ProgressListener.NONE).stopAfter(4).run(false);
    assertEquals(4, new ObjectMapper().readTree(split.resolve("checkpoints/latest.json").toFile()).get("step").asInt());
    new Trainer(options(csv, vocab, split), s -> {}, ProgressListener.NONE).run(true);

    assertArrayEquals(losses(full), losses(split), 1e-6f, "loss curve after resume");
    StateDict a = Checkpoints.read(full.resolve("checkpoints/epoch_2.pt"));
    StateDict b = Checkpoints.read(split.resolve("checkpoints/epoch_2.pt"));
    assertEquals(a.keys(), b.keys());
    for (String k : a.keys()) {
      assertArrayEquals(a.get(k).toFloats(), b.get(k).toFloats(), 1e-6f, k);
    }
    assertTrue(Files.exists(full.resolve("open_clip_config.json")));
  }

  private static float[] losses(Path run) throws Exception {
    List<Float> out = new ArrayList<>();
    ObjectMapper m = new ObjectMapper();
    for (String line : Files.readAllLines(run.resolve("log.jsonl"))) {
      JsonNode n = m.readTree(line);
      if (n.has("loss")) {
        out.add((float) n.get("loss").asDouble());
      }
    }
    float[] f = new float[out.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = out.get(i);
    }
    assertEquals(6, f.length, "2 epochs x 3 steps");
    return f;
  }

  @Test
  void nonFiniteHyperParametersAreRefused(@TempDir Path tmp) {
    Path csv = tmp.resolve("c.csv");
    IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> new TrainOptions(null, ARCH, null,
        null, null, null, null, List.of(csv), null, null, null, 1, 8, 1, Double.NaN, 0.1, 1, 1.0, TrainTransform.Preset.RS,
        Freeze.NONE, tmp, 42, 0, 2));
    assertEquals("lr must be a finite number > 0, got NaN", lr.getMessage());
    IllegalArgumentException wd = assertThrows(IllegalArgumentException.class, () -> new TrainOptions(null, ARCH, null,
        null, null, null, null, List.of(csv), null, null, null, 1, 8, 1, 1e-3, Double.POSITIVE_INFINITY, 1, 1.0,
        TrainTransform.Preset.RS, Freeze.NONE, tmp, 42, 0, 2));
    assertEquals("weight decay must be a finite number >= 0, got Infinity", wd.getMessage());
  }

  private static TrainOptions options(Path csv, Path vocab, Path out) {
    return new TrainOptions(null, ARCH, vocab, null, null, PreprocessConfig.OPENAI_MEAN, PreprocessConfig.OPENAI_STD, List.of(csv),
        null, null, null, 2, 8, 1, 1e-3, 0.1, 1, 1.0, TrainTransform.Preset.RS, Freeze.NONE, out, 42, 0, 2);
  }
}

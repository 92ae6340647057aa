package io.remoteclip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.image.TrainTransform;
import io.remoteclip.layout.CheckpointLayout;
import io.remoteclip.layout.ModelCheckpoint;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SampleImages;
import io.remoteclip.testing.SiglipGolden;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} on the golden SigLIP in both layouts, same weights (erf GELU: the folder read with config_gelu.json),
 * same data and seed: the transformers folder gives {@code checkpoints/epoch_1/} (a transformers folder with the
 * tokenizer), the open_clip checkpoint gives {@code epoch_1.pt} with its config; both reload as the same trained model.
 */
class SiglipTrainerLayoutsTest {
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  @TempDir Path tmp;

  @Test
  void eachLayoutIsWrittenBackAndReloadsAsTheSameTrainedModel() throws Exception {
    Path g = Fixtures.require("golden/siglip-tiny");
    Path csv = tmp.resolve("captions.csv");
    List<String> rows = new ArrayList<>(List.of("filepath\ttitle"));
    for (int k = 1; k <= 8; k++) {
      Path img = tmp.resolve("images/" + k + ".jpg");
      SampleImages.write(img, k * 60);
      rows.add(img + "\tscene number " + k + " seen from above");
    }
    Files.write(csv, rows);
    Path hfRun = tmp.resolve("hf-run");
    new Trainer(options(g.resolve("hf/model.safetensors"), g.resolve("hf/spiece.model"), g.resolve("hf/config_gelu.json"), csv,
        hfRun), s -> {}, ProgressListener.NONE).run(false);
    Path ocRun = tmp.resolve("oc-run");
    new Trainer(options(g.resolve("model.pt"), g.resolve("spiece.model"), g.resolve("open_clip_config.json"), csv, ocRun),
        s -> {}, ProgressListener.NONE).run(false);

    // stopped after one of the two steps and resumed (given the CLI's default CLIP vocabulary, as --resume does):
    // the run's own SentencePiece file and source folder come from latest.json, and the result is the same folder
    Path split = tmp.resolve("hf-split");
    new Trainer(options(g.resolve("hf/model.safetensors"), g.resolve("hf/spiece.model"), g.resolve("hf/config_gelu.json"), csv,
        split), s -> {}, ProgressListener.NONE).stopAfter(1).run(false);
    new Trainer(options(g.resolve("hf/model.safetensors"), io.remoteclip.testing.BundledModel.vocab(), null, csv, split),
        s -> {}, ProgressListener.NONE).run(true);
    StateDict full = Checkpoints.read(hfRun.resolve("checkpoints/epoch_1/model.safetensors"));
    StateDict resumed = Checkpoints.read(split.resolve("checkpoints/epoch_1/model.safetensors"));
    assertEquals(full.keys(), resumed.keys());
    for (String k : full.keys()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(full.get(k).toFloats(), resumed.get(k).toFloats(), 1e-6f, k);
    }

    Path folder = hfRun.resolve("checkpoints/epoch_1");
    for (String f : List.of("config.json", "model.safetensors", "spiece.model", "tokenizer_config.json", "preprocessor_config.json")) {
      assertTrue(Files.isRegularFile(folder.resolve(f)), f + " in " + folder);
    }
    ModelCheckpoint hf = ModelCheckpoint.read(folder.resolve("model.safetensors"), folder.resolve("config.json"), ProgressListener.NONE);
    assertEquals(CheckpointLayout.TRANSFORMERS, hf.layout());
    Path pt = ocRun.resolve("checkpoints/epoch_1.pt");
    ModelCheckpoint oc = ModelCheckpoint.read(pt, io.remoteclip.model.ClipConfigs.findConfigNextTo(pt), ProgressListener.NONE);
    assertEquals(CheckpointLayout.OPEN_CLIP, oc.layout());

    float[] pixels = Npy.read(g.resolve("images.npy")).floats();
    long[][] tokens = SiglipGolden.tokens(g.resolve("tokens.npy"));
    ClipConfig hfConfig = hf.config(null, null);
    assertEquals(hfConfig, oc.config(null, null));
    try (ClipModel a = ClipModel.load(hf.stateDict(), hfConfig, "hf"); ClipModel b = ClipModel.load(oc.stateDict(), hfConfig, "oc")) {
      float[] imgA = SiglipGolden.flat(a.encodeImages(pixels, 4));
      Tolerances.assertRelative("image features of the two layouts' trained models", imgA,
          SiglipGolden.flat(b.encodeImages(pixels, 4)), Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("text features of the two layouts' trained models", SiglipGolden.flat(a.encodeTexts(tokens)),
          SiglipGolden.flat(b.encodeTexts(tokens)), Tolerances.FEATURES_FP32);
      assertEquals(a.logitBias(), b.logitBias(), 1e-6f);
      assertTrue(Tolerances.relativeError(imgA, Npy.read(g.resolve("image_features_gelu.npy")).floats()) > 1e-3,
          "training moved the image features");
    }
  }

  private static TrainOptions options(Path model, Path vocab, Path config, Path csv, Path out) {
    return new TrainOptions(model, null, vocab, config, null, HALF, HALF, List.of(csv), null, null, null, 1, 4, 1, 1e-3, 0.1, 1,
        1.0, TrainTransform.Preset.NONE, Freeze.NONE, out, 42, 0, 2);
  }
}

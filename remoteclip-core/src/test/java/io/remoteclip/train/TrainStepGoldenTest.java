package io.remoteclip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ClipModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One and five AdamW steps of the contrastive loss against open_clip + torch.optim.AdamW (golden train_step). */
class TrainStepGoldenTest {
  private static final double LR = 1e-3;

  @Test
  void firstLossGradientsUpdateAndFiveStepLossesMatch() throws Exception {
    Path g = Fixtures.require("golden/train_step");
    Path vit = Fixtures.require("golden/vit-tiny");
    StateDict sd = Checkpoints.read(vit.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(vit.resolve("config.json")), Activation.QUICK_GELU);
    float[] pixels = Npy.read(g.resolve("images.npy")).floats();
    long[] flat = Npy.read(g.resolve("tokens.npy")).longs();
    long[][] tokens = new long[8][77];
    for (int i = 0; i < 8; i++) {
      System.arraycopy(flat, i * 77, tokens[i], 0, 77);
    }
    float[] losses = Npy.read(g.resolve("losses_5steps.npy")).floats();
    float[] scales = Npy.read(g.resolve("logit_scale_5steps.npy")).floats();
    try (ClipModel model = ClipModel.load(sd, cfg, "vit-tiny")) {
      ContrastiveStep step = new ContrastiveStep(model, new AdamW(0.9, 0.98, 1e-6), Freeze.NONE, 0.2, 0);
      for (int s = 0; s < 5; s++) {
        float loss = step.accumulate(pixels, tokens, 1);
        assertEquals(losses[s], loss, Tolerances.TRAIN_LOSS_ABS, "loss before step " + s);
        if (s == 0) {
          Map<String, float[]> grads = step.gradients();
          try (var files = Files.list(g.resolve("grads"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".npy"))::iterator) {
              String name = f.getFileName().toString().replaceFirst("\\.npy$", "");
              Tolerances.assertRelative("gradient of " + name, grads.get(name), Npy.read(f).floats(), Tolerances.GRADS);
            }
          }
        }
        step.update(LR);
        assertEquals(scales[s], model.logitScale(), 1e-5, "logit_scale after step " + s);
        if (s == 0) {
          assertParametersAfterOneStep(model, sd, Checkpoints.read(g.resolve("model_after.pt")));
        }
      }
    }
  }

  /**
   * Every tensor within rel 1e-4 of open_clip's, except the key third of each attention {@code in_proj_bias}: its
   * gradient is zero in exact arithmetic (softmax is invariant to a per-query constant), so both sides hold
   * rounding noise that AdamW's m/sqrt(v) amplifies to steps of up to lr. For that slice we assert the
   * physical bound instead: no element moved by more than lr.
   */
  private static void assertParametersAfterOneStep(ClipModel model, StateDict before, StateDict after) throws Exception {
    for (String key : after.keys()) {
      float[] actual = model.weights().get(key).toFloatArray();
      float[] expected = after.get(key).toFloats();
      if (key.endsWith("attn.in_proj_bias")) {
        int w = expected.length / 3;
        float[] start = before.get(key).toFloats();
        for (int part : new int[] {0, 2}) {
          Tolerances.assertRelative(key + (part == 0 ? " (q)" : " (v)"), slice(actual, part * w, w),
              slice(expected, part * w, w), Tolerances.PARAMS_AFTER_STEP);
        }
        for (int i = w; i < 2 * w; i++) {
          assertTrue(Math.abs(actual[i] - start[i]) <= LR * 1.001, key + " (k) element " + i + " moved more than lr");
        }
      } else {
        Tolerances.assertRelative(key, actual, expected, Tolerances.PARAMS_AFTER_STEP);
      }
    }
  }

  private static float[] slice(float[] a, int from, int n) {
    float[] out = new float[n];
    System.arraycopy(a, from, out, 0, n);
    return out;
  }
}

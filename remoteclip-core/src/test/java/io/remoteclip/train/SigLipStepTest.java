package io.remoteclip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.remoteclip.ProgressListener;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.layout.CheckpointLayout;
import io.remoteclip.layout.ModelCheckpoint;
import io.remoteclip.layout.TransformersFolder;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipInit;
import io.remoteclip.model.ClipModel;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.SiglipVisionConfig;
import io.remoteclip.model.TextConfig;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SigLIP fine-tuning step: its loss is open_clip's {@code SigLipLoss} (−Σ logσ(labels · (exp(s)·cos + b)) / B,
 * labels 2I − 1) computed here in double precision from the features, and the gradients of the two learned logit
 * parameters are that formula's derivatives; the trained weights written as a transformers folder reload exactly.
 */
class SigLipStepTest {
  @TempDir Path tmp;

  /** The golden siglip-tiny (transformers folder, tanh GELU): 4 images against the first 4 texts of the fixture. */
  @Test
  void goldenLossIsSigLipLossOnTheGoldenFeatures() throws Exception {
    Path g = Fixtures.require("golden/siglip-tiny");
    Path hf = g.resolve("hf");
    ModelCheckpoint ckpt = ModelCheckpoint.read(hf.resolve("model.safetensors"), hf.resolve("config.json"), ProgressListener.NONE);
    ClipConfig c = ckpt.config(null, null);
    float[] pixels = Npy.read(g.resolve("images.npy")).floats();
    long[][] tokens = java.util.Arrays.copyOf(SiglipGolden.tokens(g.resolve("tokens.npy")), 4);
    float[][] img = SiglipGolden.rows(Npy.read(g.resolve("image_features_gelutanh.npy")).floats(), 4);
    float[][] txt = java.util.Arrays.copyOf(SiglipGolden.rows(Npy.read(g.resolve("text_features_gelutanh.npy")).floats(), 14), 4);
    double scale = Npy.read(g.resolve("logit_scale.npy")).floats()[0];
    double bias = Npy.read(g.resolve("logit_bias.npy")).floats()[0];
    try (ClipModel model = ClipModel.load(ckpt.stateDict(), c, "siglip-tiny")) {
      ContrastiveStep step = new ContrastiveStep(model, new AdamW(0.9, 0.98, 1e-6), Freeze.NONE, 0.2, 0);
      float loss = step.accumulate(pixels, tokens, 1);
      assertEquals(sigLipLoss(img, txt, scale, bias), loss, Tolerances.TRAIN_LOSS_ABS, "SigLipLoss");
      assertLogitGradients(step.gradients(), img, txt, scale, bias);
      float before = model.logitBias();
      step.update(1e-3);
      assertNotEquals(before, model.logitBias(), "logit_bias is trained");
    }
  }

  /** Without fixtures: a tiny random SigLIP, its own features as the reference, and a transformers folder round trip. */
  @Test
  void randomSiglipStepAndTransformersFolderRoundTrip() throws Exception {
    ClipConfig c = new ClipConfig(new SiglipVisionConfig(32, 1, 2, 32, 64, 64), new TextConfig(32, 1, 2, 16, 100, 64), 32,
        Activation.GELU);
    assertEquals(ModelFamily.SIGLIP, c.family());
    Random rng = new Random(7);
    float[] pixels = new float[4 * 3 * 64 * 64];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) rng.nextGaussian();
    }
    long[][] tokens = new long[4][16];
    for (long[] row : tokens) {
      for (int j = 0; j < row.length; j++) {
        row[j] = rng.nextInt(100);
      }
    }
    Path config = tmp.resolve("src/config.json");
    Files.createDirectories(config.getParent());
    Files.writeString(config, hfConfig());
    Path start = tmp.resolve("start");
    TransformersFolder.write(start, ClipInit.random(c, 11), ModelFamily.SIGLIP, config, "test");
    ModelCheckpoint ckpt = ModelCheckpoint.read(start.resolve("model.safetensors"), start.resolve("config.json"), ProgressListener.NONE);
    assertEquals(CheckpointLayout.TRANSFORMERS, ckpt.layout());
    assertEquals(c, ckpt.config(null, null));
    try (ClipModel model = ClipModel.load(ckpt.stateDict(), c, "tiny")) {
      float[][] img = model.encodeImages(pixels, 4);
      float[][] txt = model.encodeTexts(tokens);
      ContrastiveStep step = new ContrastiveStep(model, new AdamW(0.9, 0.98, 1e-6), Freeze.NONE, 0.2, 0);
      float loss = step.accumulate(pixels, tokens, 1);
      assertEquals(sigLipLoss(img, txt, model.logitScale(), model.logitBias()), loss, Tolerances.TRAIN_LOSS_ABS);
      assertLogitGradients(step.gradients(), img, txt, model.logitScale(), model.logitBias());
      step.update(1e-2);

      Path out = tmp.resolve("trained");
      StateDict sd = CheckpointExport.toStateDict(model.weights(), c, CheckpointExport.dtypes(ckpt.stateDict()), out);
      TransformersFolder.write(out, sd, ckpt, ModelFamily.SIGLIP, "test");
      ModelCheckpoint back = ModelCheckpoint.read(out.resolve("model.safetensors"), out.resolve("config.json"), ProgressListener.NONE);
      try (ClipModel reloaded = ClipModel.load(back.stateDict(), back.config(null, null), "trained")) {
        float[][] trainedImg = model.encodeImages(pixels, 4);
        assertNotEquals(img[0][0], trainedImg[0][0], "the step changed the image tower");
        Tolerances.assertRelative("image features after reload", SiglipGolden.flat(reloaded.encodeImages(pixels, 4)),
            SiglipGolden.flat(trainedImg), 1e-6);
        Tolerances.assertRelative("text features after reload", SiglipGolden.flat(reloaded.encodeTexts(tokens)),
            SiglipGolden.flat(model.encodeTexts(tokens)), 1e-6);
        assertEquals(model.logitBias(), reloaded.logitBias(), 0f);
        assertEquals(model.logitScale(), reloaded.logitScale(), 0f);
      }
    }
  }

  /** d loss / d logit_bias and d loss / d logit_scale (raw) of the formula, against autograd's. */
  private static void assertLogitGradients(Map<String, float[]> grads, float[][] img, float[][] txt, double scale, double bias) {
    double s = Math.exp(scale);
    double dBias = 0;
    double dScale = 0;
    for (int i = 0; i < img.length; i++) {
      for (int j = 0; j < txt.length; j++) {
        double y = i == j ? 1 : -1;
        double cos = SiglipGolden.cosine(img[i], txt[j]);
        double dz = -y * (1 - sigmoid(y * (s * cos + bias))) / img.length;
        dBias += dz;
        dScale += dz * s * cos;
      }
    }
    assertEquals(dBias, grads.get("logit_bias")[0], 1e-5, "gradient of logit_bias");
    assertEquals(dScale, grads.get("logit_scale")[0], 1e-5, "gradient of logit_scale");
  }

  /** open_clip SigLipLoss in double precision: −Σ_ij logσ(y_ij · (exp(scale)·cos_ij + bias)) / B. */
  static double sigLipLoss(float[][] img, float[][] txt, double scale, double bias) {
    double sum = 0;
    for (int i = 0; i < img.length; i++) {
      for (int j = 0; j < txt.length; j++) {
        double y = i == j ? 1 : -1;
        sum += Math.log(sigmoid(y * (Math.exp(scale) * SiglipGolden.cosine(img[i], txt[j]) + bias)));
      }
    }
    return -sum / img.length;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static String hfConfig() {
    return """
        {"architectures": ["SiglipModel"], "model_type": "siglip",
         "text_config": {"vocab_size": 100, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1,
           "num_attention_heads": 2, "max_position_embeddings": 16, "hidden_act": "gelu", "projection_size": 32},
         "vision_config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 2,
           "image_size": 64, "patch_size": 32, "hidden_act": "gelu"}}
        """;
  }
}

package io.remoteclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.Resample;
import io.remoteclip.image.ResizeMode;
import io.remoteclip.layout.TokenizerSpec;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipInit;
import io.remoteclip.model.ClipModel;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.SiglipVisionConfig;
import io.remoteclip.model.TextConfig;
import io.remoteclip.testing.Tolerances;
import io.remoteclip.tokenizer.SpieceWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SigLIP export of random-initialised towers (no ../shared needed): ONNX Runtime against DJL on the same weights in
 * both GELUs, int8 against fp32, the graph's int8 coverage and the sidecar's family, bias and preprocessing.
 */
class SiglipOnnxTest {
  @TempDir Path tmp;

  /** 72 px in patches of 16: a 4×4 grid and 8 pixels the strided convolution never reads (as SO400M-14 at 384). */
  static ClipConfig tiny(Activation act) {
    return new ClipConfig(new SiglipVisionConfig(48, 2, 4, 16, 72, 96), new TextConfig(32, 2, 2, 16, 300, 64), 48, act);
  }

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = {"GELU", "GELU_TANH"})
  void fp32MatchesDjl(Activation act) throws Exception {
    ClipConfig config = tiny(act);
    StateDict sd = perturbed(ClipInit.random(config, 5), 6);
    Path dir = export(sd, config, Quantization.FP32, "fp32");
    float[] pixels = OnnxExportTest.pixels(3, 72, 1);
    long[][] tokens = tokens(3, 16, 300, 2);
    float[][] img;
    float[][] txt;
    try (OnnxTowers t = OnnxTowers.open(dir, 1, OnnxDevice.CPU)) {
      assertEquals(ModelFamily.SIGLIP, t.family());
      assertEquals(sd.get("logit_bias").toFloats()[0], t.logitBias());
      assertEquals(act, t.activation());
      img = t.encodeImages(pixels, 3);
      txt = t.encodeTexts(tokens);
    }
    try (ClipModel djl = ClipModel.load(sd, config, "random")) {
      float[] djlImg = OnnxTestModels.flat(djl.encodeImages(pixels, 3));
      float[] djlTxt = OnnxTestModels.flat(djl.encodeTexts(tokens));
      System.out.printf("SigLIP %s ONNX vs DJL: image %.2e text %.2e%n", act.cliName(),
          Tolerances.relativeError(OnnxTestModels.flat(img), djlImg), Tolerances.relativeError(OnnxTestModels.flat(txt), djlTxt));
      Tolerances.assertRelative("image features vs DJL", OnnxTestModels.flat(img), djlImg, Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("text features vs DJL", OnnxTestModels.flat(txt), djlTxt, Tolerances.FEATURES_FP32);
    }
    OnnxSidecar s = OnnxSidecar.read(dir);
    assertEquals(ResizeMode.SQUASH, s.preprocess().resizeMode());
    assertEquals(ModelFamily.SIGLIP, s.family());
  }

  @Test
  void int8StaysCloseToFp32() throws Exception {
    ClipConfig config = tiny(Activation.GELU_TANH);
    StateDict sd = perturbed(ClipInit.random(config, 9), 10);
    Path fp32 = export(sd, config, Quantization.FP32, "fp32");
    Path int8 = export(sd, config, Quantization.INT8, "int8");
    float[] pixels = OnnxExportTest.pixels(8, 72, 4);
    long[][] tokens = tokens(8, 16, 300, 5);
    try (OnnxTowers a = OnnxTowers.open(fp32, 1, OnnxDevice.CPU); OnnxTowers b = OnnxTowers.open(int8, 1, OnnxDevice.CPU)) {
      assertClose("image", a.encodeImages(pixels, 8), b.encodeImages(pixels, 8));
      assertClose("text", a.encodeTexts(tokens), b.encodeTexts(tokens));
    }
  }

  @Test
  void int8GraphQuantisesEveryLinearThePatchEmbeddingAndTheMapHead() throws Exception {
    ClipConfig config = tiny(Activation.GELU);
    StateDict sd = ClipInit.random(config, 1);
    OnnxGraph image = ClipGraphs.image(sd, config, Quantization.INT8);
    // per block: qkv, proj, fc1, fc2; the patch embedding; MAP head: q, kv, proj, fc1, fc2
    assertEquals(2 * 4 + 1 + 5, image.count("MatMulInteger"));
    assertEquals(0, image.count("Conv"));
    // per block: in_proj, out_proj, c_fc, c_proj; the projection
    assertEquals(2 * 4 + 1, ClipGraphs.text(sd, config, Quantization.INT8).count("MatMulInteger"));
  }

  /**
   * A SentencePiece model the test writes: exported beside the towers, the ONNX engine reads texts through it as
   * the DJL engine does (same ids, features within 1e-5), unknown characters through byte fallback included.
   */
  @Test
  void exportedSentencePieceTokenizerEmbedsTextsAsDjl() throws Exception {
    ClipConfig config = tiny(Activation.GELU_TANH);
    StateDict sd = perturbed(ClipInit.random(config, 12), 13);
    Path spiece = java.nio.file.Files.write(tmp.resolve("spiece.model"), new SpieceWriter().specials().bytePieces()
        .normal("\u2581", -2f).normal("\u2581a", -1f).normal("a", -3f).normal("b", -3f).normal("ab", -2.5f)
        .normal("\u2581ab", -6f).bytes());
    TokenizerSpec spec = new TokenizerSpec(TokenizerSpec.Kind.SENTENCEPIECE_TRANSFORMERS, spiece);
    Path dir = tmp.resolve("with-tokenizer");
    OnnxExport.exportWithTokenizer(sd, config, "random", "random", spec, squash(), OnnxExport.Options.defaults(), dir);
    assertEquals(TokenizerSpec.Kind.SENTENCEPIECE_TRANSFORMERS, OnnxSidecar.read(dir).tokenizer());
    assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("spiece.model")));
    List<String> texts = List.of("ab a", "B\u00e4b, ab!", "", "a ".repeat(30));
    try (ClipEncoder onnx = OnnxEngine.openExport(dir, ClipEncoder.Options.defaults().withDecodeThreads(1),
            new OnnxEngine.Options(1, OnnxDevice.CPU, Quantization.FP32));
        ClipModel model = ClipModel.load(sd, config, "random");
        ClipEncoder djl = ClipEncoder.borrowing(model, spec.open(), squash(), 8, 1)) {
      long[][] ids = onnx.tokenizer().tokenize(texts);
      assertEquals(16, ids[0].length);
      assertTrue(java.util.Arrays.deepEquals(djl.tokenizer().tokenize(texts), ids));
      Tolerances.assertRelative("texts through the exported tokenizer vs DJL", OnnxTestModels.flat(onnx.encodeTexts(texts)),
          OnnxTestModels.flat(djl.encodeTexts(texts)), Tolerances.FEATURES_FP32);
    }
  }

  static void assertClose(String what, float[][] fp32, float[][] int8) {
    for (int i = 0; i < fp32.length; i++) {
      double c = OnnxExportTest.cosine(fp32[i], int8[i]);
      assertTrue(c > 0.99 && c < 1 - 1e-9, what + " " + i + ": cosine " + c + " (int8 must differ from fp32, a little)");
    }
  }

  /**
   * ClipInit's SigLIP starts with zero biases, unit LayerNorms and 0.02 weights, where the two GELUs and the
   * bias adds can hardly be told apart: perturbed as the golden fixture was (weights ±0.1, biases ±0.05).
   */
  static StateDict perturbed(StateDict sd, long seed) throws Exception {
    Random r = new Random(seed);
    java.util.Map<String, io.remoteclip.checkpoint.TensorData> out = new java.util.LinkedHashMap<>();
    for (String k : sd.keys()) {
      io.remoteclip.checkpoint.TensorData t = sd.get(k);
      float[] v = t.toFloats();
      double s = t.shape().length >= 2 ? 0.1 : 0.05;
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) (s * r.nextGaussian());
      }
      out.put(k, io.remoteclip.checkpoint.TensorData.ofFloats(v, t.shape()));
    }
    return new StateDict(out, sd.source());
  }

  /** SigLIP rows: 1..12 ids in 3..vocab-1, then </s> (1) and padding with 1 to the context length. */
  static long[][] tokens(int n, int context, int vocab, long seed) {
    Random r = new Random(seed);
    long[][] t = new long[n][context];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(t[i], 1);
      int len = i == 0 ? context : 1 + r.nextInt(12); // the first fills the context: no </s>, cut as truncation does
      for (int j = 0; j < len; j++) {
        t[i][j] = 3 + r.nextInt(vocab - 3);
      }
    }
    return t;
  }

  private static PreprocessConfig squash() {
    return new PreprocessConfig(72, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, Resample.BICUBIC,
        ResizeMode.SQUASH);
  }

  private Path export(StateDict sd, ClipConfig config, Quantization q, String name) throws Exception {
    Path dir = tmp.resolve(name);
    OnnxExport.exportWeights(sd, config, "random#" + q.cliName(), "random", null, squash(),
        OnnxExport.Options.defaults().withQuantization(q), dir);
    return dir;
  }
}

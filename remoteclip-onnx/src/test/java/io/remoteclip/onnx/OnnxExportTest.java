package io.remoteclip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.model.Architectures;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipInit;
import io.remoteclip.model.ClipModel;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Export of random-initialised models (no ../shared needed): ONNX Runtime against DJL on the same weights,
 * inline against external data, the text tower on fewer tokens, int8 against fp32, and the directory rules.
 */
class OnnxExportTest {
  static final String VIT = "vit:width=64,layers=2,heads=4,patch=16,image=64,text-width=32,text-layers=2,text-heads=2,vocab=500,embed=24";
  static final String RN = "rn:width=8,layers=1-1-1-1,heads=4,image=64,text-width=32,text-layers=1,text-heads=2,vocab=500,embed=24";

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {VIT, RN, VIT + ",activation=gelu"})
  void fp32MatchesDjlInlineAndExternal(String spec) throws Exception {
    ClipConfig config = Architectures.parse(spec, 0);
    StateDict sd = ClipInit.random(config, 7);
    float[] pixels = pixels(3, config.vision().imageSize(), 1);
    long[][] tokens = tokens(3, config.text().contextLength(), config.text().vocabSize(), 2);
    Path inline = export(sd, config, Quantization.FP32, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, "inline");
    Path external = export(sd, config, Quantization.FP32, 0, "external");
    assertTrue(Files.size(external.resolve("image.onnx.data")) > 0);
    assertFalse(Files.exists(inline.resolve("image.onnx.data")));
    float[][] img;
    float[][] txt;
    try (OnnxTowers a = OnnxTowers.open(inline, 1, OnnxDevice.CPU); OnnxTowers b = OnnxTowers.open(external, 1, OnnxDevice.CPU)) {
      assertTrue(b.sidecar().imageExternalData() && b.sidecar().textExternalData());
      img = a.encodeImages(pixels, 3);
      txt = a.encodeTexts(tokens);
      assertArrayEquals(OnnxTestModels.flat(img), OnnxTestModels.flat(b.encodeImages(pixels, 3)));
      assertArrayEquals(OnnxTestModels.flat(txt), OnnxTestModels.flat(b.encodeTexts(tokens)));
    }
    try (ClipModel djl = ClipModel.load(sd, config, "random")) {
      Tolerances.assertRelative("image features vs DJL", OnnxTestModels.flat(img), OnnxTestModels.flat(djl.encodeImages(pixels, 3)),
          Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("text features vs DJL", OnnxTestModels.flat(txt), OnnxTestModels.flat(djl.encodeTexts(tokens)),
          Tolerances.FEATURES_FP32);
    }
  }

  @Test
  void textTowerOnFewerTokensIsTheSame() throws Exception {
    ClipConfig config = Architectures.parse(VIT, 0);
    Path dir = export(ClipInit.random(config, 3), config, Quantization.FP32, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, "x");
    long[][] full = tokens(4, 77, 500, 5); // longest text: 21 positions
    long[][] cut = new long[4][21];
    for (int i = 0; i < 4; i++) {
      System.arraycopy(full[i], 0, cut[i], 0, 21);
    }
    try (OnnxTowers t = OnnxTowers.open(dir, 1, OnnxDevice.CPU)) {
      Tolerances.assertRelative("21 of 77 positions", OnnxTestModels.flat(t.encodeTexts(cut)),
          OnnxTestModels.flat(t.encodeTexts(full)), 1e-6);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {VIT, RN})
  void int8StaysCloseToFp32AndIsSmaller(String spec) throws Exception {
    ClipConfig config = Architectures.parse(spec, 0);
    StateDict sd = ClipInit.random(config, 11);
    Path fp32 = export(sd, config, Quantization.FP32, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, "fp32");
    Path int8 = export(sd, config, Quantization.INT8, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, "int8");
    assertTrue(Files.size(int8.resolve("text.onnx")) < Files.size(fp32.resolve("text.onnx")));
    assertEquals(Quantization.INT8, OnnxSidecar.read(int8).quantization());
    float[] pixels = pixels(8, config.vision().imageSize(), 4);
    try (OnnxTowers a = OnnxTowers.open(fp32, 1, OnnxDevice.CPU); OnnxTowers b = OnnxTowers.open(int8, 1, OnnxDevice.CPU)) {
      float[][] x = a.encodeImages(pixels, 8);
      float[][] y = b.encodeImages(pixels, 8);
      for (int i = 0; i < 8; i++) {
        double c = cosine(x[i], y[i]);
        assertTrue(c > 0.99 && c < 1 - 1e-9, "image " + i + ": cosine " + c + " (int8 must differ from fp32, a little)");
      }
    }
  }

  @Test
  void int8GraphQuantisesEveryLinearAndThePatchConvolution() throws Exception {
    ClipConfig config = Architectures.parse(VIT, 0);
    StateDict sd = ClipInit.random(config, 1);
    OnnxGraph image = ClipGraphs.image(sd, config, Quantization.INT8);
    // per block: in_proj, out_proj, c_fc, c_proj; plus the patch embedding
    assertEquals(2 * 4 + 1, image.count("MatMulInteger"));
    assertEquals(image.count("MatMulInteger"), image.count("DynamicQuantizeLinear"));
    assertEquals(0, image.count("Conv"));
    OnnxGraph rn = ClipGraphs.image(ClipInit.random(Architectures.parse(RN, 0), 1), Architectures.parse(RN, 0),
        Quantization.INT8);
    assertEquals(4, rn.count("MatMulInteger")); // attention pool q, k, v, c
  }

  @Test
  void quantisedWeightsAreWithinHalfAStep() {
    float[] w = new float[6 * 5];
    Random r = new Random(0);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    Int8Weights q = Int8Weights.perColumn(w, 6, 5);
    float[] back = q.dequantized(5);
    for (int i = 0; i < w.length; i++) {
      assertTrue(Math.abs(back[i] - w[i]) <= q.scales()[i % 5] / 2 + 1e-7, "element " + i);
      assertTrue(Math.abs(q.values()[i]) <= Int8Weights.LIMIT);
    }
  }

  @Test
  void refusesANonEmptyDirectoryThatIsNoExport() throws Exception {
    ClipConfig config = Architectures.parse(VIT, 0);
    Path dir = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(dir.resolve("notes.txt"), "mine");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> export(ClipInit.random(config, 1), config, Quantization.FP32, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, "busy"));
    assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("not empty"), e.getMessage());
    assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
  }

  @Test
  void replacesAnEarlierExportAndLeavesNoTemporaryFiles() throws Exception {
    ClipConfig config = Architectures.parse(VIT, 0);
    StateDict sd = ClipInit.random(config, 1);
    export(sd, config, Quantization.FP32, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, "again");
    export(sd, config, Quantization.INT8, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, "again");
    assertEquals(Quantization.INT8, OnnxSidecar.read(tmp.resolve("again")).quantization());
    try (var list = Files.list(tmp)) {
      assertEquals(1, list.count(), "only the export itself");
    }
  }

  @Test
  void missingExportIsReportedWithItsPath() {
    var e = assertThrows(io.remoteclip.ModelNotFoundException.class, () -> OnnxTowers.open(tmp, 1, OnnxDevice.CPU));
    assertTrue(e.getMessage().startsWith(tmp.toString()) && e.getMessage().contains("export --onnx"), e.getMessage());
  }

  @Test
  void deviceNames() {
    assertEquals(OnnxDevice.CPU, OnnxDevice.parse("cpu"));
    assertEquals(new OnnxDevice("cuda", 1), OnnxDevice.parse("cuda:1"));
    assertEquals(new OnnxDevice("cuda", 0), OnnxDevice.parse("CUDA"));
    assertThrows(IllegalArgumentException.class, () -> OnnxDevice.parse("gpu"));
    assertThrows(IllegalArgumentException.class, () -> OnnxDevice.parse("cuda:-1"));
  }

  private Path export(StateDict sd, ClipConfig config, Quantization q, long threshold, String name) throws Exception {
    Path dir = tmp.resolve(name);
    OnnxExport.exportWeights(sd, config, "random#" + q.cliName(), "random", null, PreprocessConfig.openAi(config.vision().imageSize()),
        OnnxExport.Options.defaults().withQuantization(q).withExternalThreshold(threshold), dir);
    return dir;
  }

  static float[] pixels(int n, int s, long seed) {
    Random r = new Random(seed);
    float[] p = new float[n * 3 * s * s];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) r.nextGaussian();
    }
    return p;
  }

  /** Texts of 3..20 BPE ids between start (vocab-2) and end (vocab-1) tokens, zero-padded. */
  static long[][] tokens(int n, int context, int vocab, long seed) {
    Random r = new Random(seed);
    long[][] t = new long[n][context];
    for (int i = 0; i < n; i++) {
      int len = i == 0 ? 19 : 3 + r.nextInt(17);
      t[i][0] = vocab - 2;
      for (int j = 1; j <= len; j++) {
        t[i][j] = 1 + r.nextInt(vocab - 3);
      }
      t[i][len + 1] = vocab - 1;
    }
    return t;
  }

  static double cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }
}

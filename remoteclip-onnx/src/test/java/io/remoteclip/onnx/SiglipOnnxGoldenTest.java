package io.remoteclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.layout.TokenizerSpec;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The golden siglip-tiny exported to ONNX from both layouts (the transformers folder with its tanh-GELU config and
 * its erf-GELU config; open_clip's model.pt with its SentencePiece file): ONNX Runtime's features and sigmoid logits
 * against open_clip's and the DJL engine's (fp32, rel 1e-5), texts through the exported tokenizer, and int8 within
 * cosine 0.99 of fp32 on the fixture's images and texts.
 */
class SiglipOnnxGoldenTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({"hf, config.json, gelutanh", "hf, config_gelu.json, gelu", "model.pt, , gelu", "model.pt, , gelutanh"})
  void featuresLogitsAndTokenizerMatchOpenClipAndDjl(String weights, String config, String variant) throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    boolean hf = weights.equals("hf");
    ResolvedModel model = ModelResolver.fromEnvironment().resolve(dir.resolve(weights).toString(),
        hf ? null : dir.resolve("spiece.model"), ProgressListener.NONE);
    Activation act = hf || variant.equals("gelu") ? null : Activation.GELU_TANH; // model.pt's config says nothing: erf
    Path configFile = config == null ? null : dir.resolve(weights).resolve(config);
    OnnxExport.Options options = OnnxExport.Options.defaults().withActivation(act).withConfig(configFile);
    Path fp32 = tmp.resolve("fp32");
    OnnxSidecar s = OnnxExport.export(model, options, fp32, ProgressListener.NONE);
    assertEquals(ModelFamily.SIGLIP, s.family());
    assertEquals(hf ? TokenizerSpec.Kind.SENTENCEPIECE_TRANSFORMERS : TokenizerSpec.Kind.SENTENCEPIECE_OPEN_CLIP, s.tokenizer());
    assertTrue(Files.isRegularFile(fp32.resolve("spiece.model")));

    float[] pixels = Npy.read(dir.resolve("images.npy")).floats();
    long[][] tokens = SiglipGolden.tokens(dir.resolve("tokens.npy"));
    float[] goldenImg = Npy.read(dir.resolve("image_features_" + variant + ".npy")).floats();
    float[] goldenTxt = Npy.read(dir.resolve("text_features_" + variant + ".npy")).floats();
    List<String> texts = Arrays.asList(new ObjectMapper().readValue(dir.resolve("texts.json").toFile(), String[].class));
    ClipEncoder.Options encoding = ClipEncoder.Options.defaults().withActivation(act).withConfig(configFile)
        .withDecodeThreads(1);
    float[][] img;
    float[][] txt;
    float[][] fromTexts;
    String onnxId;
    try (ClipEncoder onnx = OnnxEngine.openExport(fp32, encoding, new OnnxEngine.Options(1, OnnxDevice.CPU, Quantization.FP32))) {
      img = onnx.towers().encodeImages(pixels, 4);
      txt = onnx.towers().encodeTexts(tokens);
      fromTexts = onnx.encodeTexts(texts);
      onnxId = onnx.modelId();
      float[] logits = logits(onnx, img, txt);
      Tolerances.assertRelative("sigmoid logits vs open_clip", logits,
          Npy.read(dir.resolve("logits_per_image_" + variant + ".npy")).floats(), Tolerances.FEATURES_FP32);
    }
    System.out.printf("siglip-tiny %s %s ONNX vs open_clip: image %.2e text %.2e%n", weights, variant,
        Tolerances.relativeError(OnnxTestModels.flat(img), goldenImg), Tolerances.relativeError(OnnxTestModels.flat(txt), goldenTxt));
    Tolerances.assertRelative("image features vs open_clip", OnnxTestModels.flat(img), goldenImg, Tolerances.FEATURES_FP32);
    Tolerances.assertRelative("text features vs open_clip", OnnxTestModels.flat(txt), goldenTxt, Tolerances.FEATURES_FP32);
    // open_clip's pipeline gave tokens.npy for all 14 texts; transformers' agrees with it on rows 0..10 only
    int same = hf ? 11 : texts.size();
    Tolerances.assertRelative("features of the texts through the exported tokenizer",
        OnnxTestModels.flat(Arrays.copyOf(fromTexts, same)), Arrays.copyOf(goldenTxt, same * 64), Tolerances.FEATURES_FP32);
    try (ClipEncoder djl = ClipEncoder.open(model, encoding, ProgressListener.NONE)) {
      assertEquals(djl.modelId(), onnxId, "fp32 ONNX shares the DJL encoder identity");
      Tolerances.assertRelative("image features vs DJL", OnnxTestModels.flat(img),
          OnnxTestModels.flat(djl.towers().encodeImages(pixels, 4)), Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("texts vs DJL, same tokenizer", OnnxTestModels.flat(fromTexts),
          OnnxTestModels.flat(djl.encodeTexts(texts)), Tolerances.FEATURES_FP32);
    }

    Path int8 = tmp.resolve("int8");
    OnnxExport.export(model, options.withQuantization(Quantization.INT8), int8, ProgressListener.NONE);
    try (OnnxTowers q = OnnxTowers.open(int8, 1, OnnxDevice.CPU)) {
      float[][] qImg = q.encodeImages(pixels, 4);
      float[][] qTxt = q.encodeTexts(tokens);
      System.out.printf("siglip-tiny %s %s int8 vs fp32: min cosine image %.5f text %.5f%n", weights, variant,
          minCosine(img, qImg), minCosine(txt, qTxt));
      SiglipOnnxTest.assertClose("image", img, qImg);
      SiglipOnnxTest.assertClose("text", txt, qTxt);
    }
  }

  /** exp(scale)·cos + bias, rows = images, from what the encoder's towers report. */
  private static float[] logits(ClipEncoder e, float[][] img, float[][] txt) {
    float scale = (float) Math.exp(e.towers().logitScale());
    float[] out = new float[img.length * txt.length];
    for (int i = 0; i < img.length; i++) {
      for (int j = 0; j < txt.length; j++) {
        out[i * txt.length + j] = (float) (scale * OnnxExportTest.cosine(img[i], txt[j])) + e.towers().logitBias();
      }
    }
    return out;
  }

  private static double minCosine(float[][] a, float[][] b) {
    double min = 1;
    for (int i = 0; i < a.length; i++) {
      min = Math.min(min, OnnxExportTest.cosine(a[i], b[i]));
    }
    return min;
  }
}

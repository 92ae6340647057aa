package io.remoteclip.onnx;


import io.remoteclip.ProgressListener;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipConfigs;
import io.remoteclip.model.ClipModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ONNX Runtime on exported towers against open_clip's golden features and against the DJL engine on the same
 * weights (fp32: both within 1e-5), for the ViT and the ModifiedResNet fixtures, both activations, .pt and
 * .safetensors, and fp16 weights (computed in fp32, against open_clip's fp16-weight features).
 */
class OnnxGoldenTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}/{1} {2}")
  @CsvSource({"vit-tiny, model.pt, quickgelu", "vit-tiny, model.pt, gelu", "rn-tiny, model.pt, quickgelu",
      "rn-tiny, model.pt, gelu", "vit-tiny, model.safetensors, quickgelu", "vit-tiny, model_fp16.pt, gelu"})
  void fp32FeaturesMatchOpenClipAndDjl(String fixture, String weights, String act) throws Exception {
    Path dir = Fixtures.require("golden/" + fixture);
    String suffix = act + (weights.contains("fp16") ? "_fp16weights" : "") + ".npy";
    float[] pixels = Npy.read(Fixtures.require("golden/vit-tiny/images.npy")).floats();
    long[][] tokens = OnnxTestModels.tokens(dir);
    Path export = tmp.resolve("export");
    OnnxExport.export(OnnxTestModels.resolve(dir.resolve(weights)),
        OnnxExport.Options.defaults().withActivation(Activation.parse(act)), export, ProgressListener.NONE);
    float[][] img;
    float[][] txt;
    try (OnnxTowers towers = OnnxTowers.open(export, 1, OnnxDevice.CPU)) {
      img = towers.encodeImages(pixels, 4);
      txt = towers.encodeTexts(tokens);
    }
    System.out.printf("%s/%s %s: rel vs open_clip image %.2e text %.2e%n", fixture, weights, act,
        Tolerances.relativeError(OnnxTestModels.flat(img), Npy.read(dir.resolve("image_features_" + suffix)).floats()),
        Tolerances.relativeError(OnnxTestModels.flat(txt), Npy.read(dir.resolve("text_features_" + suffix)).floats()));
    Tolerances.assertRelative("image features vs open_clip", OnnxTestModels.flat(img),
        Npy.read(dir.resolve("image_features_" + suffix)).floats(), Tolerances.FEATURES_FP32);
    Tolerances.assertRelative("text features vs open_clip", OnnxTestModels.flat(txt),
        Npy.read(dir.resolve("text_features_" + suffix)).floats(), Tolerances.FEATURES_FP32);
    StateDict sd = Checkpoints.read(dir.resolve(weights));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("config.json")), Activation.parse(act));
    try (ClipModel djl = ClipModel.load(sd, cfg, fixture)) {
      Tolerances.assertRelative("image features vs DJL", OnnxTestModels.flat(img), OnnxTestModels.flat(djl.encodeImages(pixels, 4)),
          Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("text features vs DJL", OnnxTestModels.flat(txt), OnnxTestModels.flat(djl.encodeTexts(tokens)),
          Tolerances.FEATURES_FP32);
    }
  }
}

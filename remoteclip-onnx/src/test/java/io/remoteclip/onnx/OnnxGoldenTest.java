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
 * weights (fp32: both within 1e-5), for the ViT and the ModifiedResNet fixtures and both activations.
 */
class OnnxGoldenTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"vit-tiny, quickgelu", "vit-tiny, gelu", "rn-tiny, quickgelu", "rn-tiny, gelu"})
  void fp32FeaturesMatchOpenClipAndDjl(String fixture, String act) throws Exception {
    Path dir = Fixtures.require("golden/" + fixture);
    float[] pixels = Npy.read(Fixtures.require("golden/vit-tiny/images.npy")).floats();
    long[][] tokens = OnnxTestModels.tokens(dir);
    Path export = tmp.resolve("export");
    OnnxExport.export(OnnxTestModels.resolve(dir.resolve("model.pt")),
        OnnxExport.Options.defaults().withActivation(Activation.parse(act)), export, ProgressListener.NONE);
    float[][] img;
    float[][] txt;
    try (OnnxTowers towers = OnnxTowers.open(export, 1, OnnxDevice.CPU)) {
      img = towers.encodeImages(pixels, 4);
      txt = towers.encodeTexts(tokens);
    }
    Tolerances.assertRelative("image features vs open_clip", OnnxTestModels.flat(img),
        Npy.read(dir.resolve("image_features_" + act + ".npy")).floats(), Tolerances.FEATURES_FP32);
    Tolerances.assertRelative("text features vs open_clip", OnnxTestModels.flat(txt),
        Npy.read(dir.resolve("text_features_" + act + ".npy")).floats(), Tolerances.FEATURES_FP32);
    StateDict sd = Checkpoints.read(dir.resolve("model.pt"));
    ClipConfig cfg = ClipConfigs.infer(sd, ClipConfigs.readModelConfig(dir.resolve("config.json")), Activation.parse(act));
    try (ClipModel djl = ClipModel.load(sd, cfg, fixture)) {
      Tolerances.assertRelative("image features vs DJL", OnnxTestModels.flat(img), OnnxTestModels.flat(djl.encodeImages(pixels, 4)),
          Tolerances.FEATURES_FP32);
      Tolerances.assertRelative("text features vs DJL", OnnxTestModels.flat(txt), OnnxTestModels.flat(djl.encodeTexts(tokens)),
          Tolerances.FEATURES_FP32);
    }
  }
}

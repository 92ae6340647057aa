package io.remoteclip.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What int8 costs on real images: the bundled remoteclip-mini on 200 UC Merced images, int8 against fp32. */
class Int8AccuracyTest {
  @TempDir Path tmp;

  @Test
  void meanCosineToFp32IsAtLeast099On200RealImages() throws Exception {
    List<Path> images = ImageFiles.expand(List.of(Fixtures.require("data/ucm-captions/images"))).subList(0, 200);
    ResolvedModel mini = ModelResolver.fromEnvironment().resolve(BundledModel.weights().toString(), BundledModel.vocab(),
        ProgressListener.NONE);
    ClipEncoder.Options options = ClipEncoder.Options.defaults().withDecodeThreads(2);
    float[][] fp32;
    float[][] int8;
    try (ClipEncoder e = OnnxEngine.open(mini, options, new OnnxEngine.Options(2, OnnxDevice.CPU, Quantization.FP32), tmp,
        ProgressListener.NONE)) {
      fp32 = e.encodeImages(images, ProgressListener.NONE);
    }
    try (ClipEncoder e = OnnxEngine.open(mini, options, new OnnxEngine.Options(2, OnnxDevice.CPU, Quantization.INT8), tmp,
        ProgressListener.NONE)) {
      int8 = e.encodeImages(images, ProgressListener.NONE);
    }
    double sum = 0;
    double min = 1;
    for (int i = 0; i < fp32.length; i++) {
      double c = OnnxExportTest.cosine(fp32[i], int8[i]);
      sum += c;
      min = Math.min(min, c);
    }
    double mean = sum / fp32.length;
    System.out.printf("remoteclip-mini int8 vs fp32 over %d UCM images: mean cosine %.5f, min %.5f%n", fp32.length, mean, min);
    assertTrue(mean >= 0.99, "mean cosine " + mean);
  }
}

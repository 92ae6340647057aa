package io.remoteclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.EncoderId;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.testing.BundledModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An fp32 export gives the DJL engine's encoder identity (indexes and embedding caches are shared across
 * engines); int8 differs in the number format only, and the sidecar records the same identity.
 */
class OnnxEncoderIdentityTest {
  @TempDir Path tmp;

  @Test
  void fp32SharesTheDjlIdentityAndInt8DiffersInPrecisionOnly() throws Exception {
    ResolvedModel mini = ModelResolver.fromEnvironment().resolve(BundledModel.weights().toString(), BundledModel.vocab(),
        ProgressListener.NONE);
    ClipEncoder.Options options = ClipEncoder.Options.defaults().withDecodeThreads(1);
    EncoderId djl;
    try (ClipEncoder e = ClipEncoder.open(mini, options, ProgressListener.NONE)) {
      djl = e.encoderId();
    }
    try (ClipEncoder e = OnnxEngine.open(mini, options, new OnnxEngine.Options(1, OnnxDevice.CPU, Quantization.FP32), tmp,
        ProgressListener.NONE)) {
      assertEquals(djl, e.encoderId());
    }
    try (ClipEncoder e = OnnxEngine.open(mini, options, new OnnxEngine.Options(1, OnnxDevice.CPU, Quantization.INT8), tmp,
        ProgressListener.NONE)) {
      assertEquals(List.of("precision fp32 vs int8"), djl.differences(e.encoderId()));
      Path export = OnnxEngine.cachedExport(mini, options, Quantization.INT8, tmp, ProgressListener.NONE);
      assertEquals(e.encoderId().toString(), OnnxSidecar.read(export).encoderId());
    }
  }
}

package io.remoteclip.onnx;

import io.remoteclip.ProgressListener;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.hub.ResolvedModel;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;

/** Shared helpers of the ONNX tests: golden models resolved with the golden vocabulary, token rows, flattening. */
final class OnnxTestModels {
  private OnnxTestModels() {}

  static ResolvedModel resolve(Path checkpoint) throws Exception {
    Path vocab = Fixtures.require("golden/tokenizer/bpe_simple_vocab_16e6.txt.gz");
    return ModelResolver.fromEnvironment().resolve(checkpoint.toString(), vocab, ProgressListener.NONE);
  }

  static long[][] tokens(Path dir) throws Exception {
    var a = Npy.read(dir.resolve("tokens.npy"));
    long[] flat = a.longs();
    int t = a.shape()[1];
    long[][] out = new long[flat.length / t][t];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(flat, i * t, out[i], 0, t);
    }
    return out;
  }

  static float[] flat(float[][] x) {
    float[] out = new float[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, out, i * x[0].length, x[0].length);
    }
    return out;
  }
}

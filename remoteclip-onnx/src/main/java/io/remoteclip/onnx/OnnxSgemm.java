package io.remoteclip.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.remoteclip.onnx.ir.OnnxIr.TensorProto;
import io.remoteclip.perf.Sgemm;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * {@link Sgemm} on ONNX Runtime: a one-node MatMul graph run with the towers' session options, so the ceiling
 * is the one this engine's own kernels reach on the same threads and device.
 */
public final class OnnxSgemm implements Sgemm {
  private final int n;
  private final OrtSession session;
  private final OnnxTensor a;
  private final OnnxTensor b;

  private OnnxSgemm(int n, OrtSession session, OnnxTensor a, OnnxTensor b) {
    this.n = n;
    this.session = session;
    this.a = a;
    this.b = b;
  }

  /** {@code threads} 0 = ONNX Runtime's default (all cores). */
  public static OnnxSgemm open(int n, int threads, OnnxDevice device) throws IOException {
    OnnxGraph g = new OnnxGraph("sgemm");
    g.input("a", TensorProto.DataType.FLOAT, (long) n, (long) n);
    g.input("b", TensorProto.DataType.FLOAT, (long) n, (long) n);
    g.outputAs(g.op("MatMul", "a", "b"), "c");
    g.output("c", TensorProto.DataType.FLOAT, (long) n, (long) n);
    Path file = Files.createTempFile("remoteclip-sgemm", ".onnx");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try {
      OnnxModelWriter.write(g, file, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, Map.of());
      session = OnnxTowers.session(env, file, threads, device);
      return new OnnxSgemm(n, session, random(env, n, 1), random(env, n, 2));
    } catch (OrtException e) {
      if (session != null) {
        closeQuietly(session);
      }
      throw new IllegalStateException("ONNX Runtime could not run a " + n + "x" + n + " MatMul: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static OnnxTensor random(OrtEnvironment env, int n, long seed) throws OrtException {
    Random rng = new Random(seed);
    FloatBuffer values = java.nio.ByteBuffer.allocateDirect(n * n * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < n * n; i++) {
      values.put(i, (float) rng.nextGaussian());
    }
    return OnnxTensor.createTensor(env, values, new long[] {n, n});
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public void multiply() {
    try (OrtSession.Result ignored = session.run(Map.of("a", a, "b", b))) {
      // the product is discarded: only its time matters
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on the MatMul: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    a.close();
    b.close();
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      // closing a session that failed: nothing more to release
    }
  }
}

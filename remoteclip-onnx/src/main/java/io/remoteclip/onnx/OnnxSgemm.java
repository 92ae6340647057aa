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
 * is the one this engine's own kernels reach on the same threads and device. The second matrix is an
 * initialiser, as the towers' weights are: ONNX Runtime packs such a constant once when the session is made,
 * so the product is timed the way the models' products run.
 */
public final class OnnxSgemm implements Sgemm {
  private final int n;
  private final OrtSession session;
  private final OnnxTensor a;

  private OnnxSgemm(int n, OrtSession session, OnnxTensor a) {
    this.n = n;
    this.session = session;
    this.a = a;
  }

  /** {@code threads} 0 = ONNX Runtime's default (all cores). */
  public static OnnxSgemm open(int n, int threads, OnnxDevice device) throws IOException {
    OnnxGraph g = new OnnxGraph("sgemm");
    g.input("a", TensorProto.DataType.FLOAT, (long) n, (long) n);
    g.outputAs(g.op("MatMul", "a", g.floats("b", randomValues(n, 2), n, n)), "c");
    g.output("c", TensorProto.DataType.FLOAT, (long) n, (long) n);
    Path file = Files.createTempFile("remoteclip-sgemm", ".onnx");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try {
      OnnxModelWriter.write(g, file, OnnxModelWriter.DEFAULT_EXTERNAL_THRESHOLD, Map.of());
      session = OnnxTowers.session(env, file, threads, device);
      FloatBuffer values = java.nio.ByteBuffer.allocateDirect(n * n * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
      values.put(randomValues(n, 1)).rewind();
      return new OnnxSgemm(n, session, OnnxTensor.createTensor(env, values, new long[] {n, n}));
    } catch (OrtException e) {
      OnnxTowers.closeQuietly(session);
      throw new IllegalStateException("ONNX Runtime could not run a " + n + "x" + n + " MatMul: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static float[] randomValues(int n, long seed) {
    Random rng = new Random(seed);
    float[] values = new float[n * n];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) rng.nextGaussian();
    }
    return values;
  }

  @Override
  public int size() {
    return n;
  }

  @Override
  public void multiply() {
    try (OrtSession.Result ignored = session.run(Map.of("a", a))) {
      // the product is discarded: only its time matters
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on the MatMul: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    a.close();
    OnnxTowers.closeQuietly(session);
  }
}

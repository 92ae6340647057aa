package io.remoteclip.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import io.remoteclip.encode.EncoderId;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ClipTowers;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.TokenRows;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two towers of an export directory on ONNX Runtime: one session per tower, intra-op threads as asked,
 * graph optimisations on (ONNX Runtime fuses the int8 pattern into {@code DynamicQuantizeMatMul}).
 * Sessions are thread-safe, so is this class.
 */
public final class OnnxTowers implements ClipTowers {
  private final OnnxSidecar sidecar;
  private final OrtEnvironment env;
  private final OrtSession image;
  private final OrtSession text;

  private OnnxTowers(OnnxSidecar sidecar, OrtEnvironment env, OrtSession image, OrtSession text) {
    this.sidecar = sidecar;
    this.env = env;
    this.image = image;
    this.text = text;
  }

  /** Opens {@code dir} (an {@link OnnxExport}) on {@code device}; {@code threads} 0 = ONNX Runtime's default (all cores). */
  public static OnnxTowers open(Path dir, int threads, OnnxDevice device) throws IOException, DataFormatException,
      ModelNotFoundException {
    if (!OnnxExport.isExport(dir)) {
      throw new ModelNotFoundException(dir + ": no ONNX export here (" + OnnxSidecar.FILE_NAME + " missing); "
          + "write one with 'remoteclip export --onnx'");
    }
    OnnxSidecar sidecar = OnnxSidecar.read(dir);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession image = null;
    try {
      image = session(env, dir.resolve(sidecar.imageFile()), threads, device);
      OrtSession text = session(env, dir.resolve(sidecar.textFile()), threads, device);
      return new OnnxTowers(sidecar, env, image, text);
    } catch (OrtException e) {
      closeQuietly(image);
      throw new DataFormatException(dir + ": ONNX Runtime could not load the export: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      closeQuietly(image);
      throw e;
    }
  }

  /** The session options every graph of this engine runs with (the towers and the {@link OnnxSgemm} ceiling). */
  static OrtSession session(OrtEnvironment env, Path model, int threads, OnnxDevice device)
      throws OrtException, IOException {
    if (!Files.isRegularFile(model)) {
      throw new java.io.FileNotFoundException(model + ": missing from the export");
    }
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (threads > 0) {
        o.setIntraOpNumThreads(threads);
      }
      o.setInterOpNumThreads(1);
      device.configure(o);
      return env.createSession(model.toString(), o);
    }
  }

  public OnnxSidecar sidecar() {
    return sidecar;
  }

  /** The weights' identity (the rest of the encoder identity comes from the sidecar's other fields). */
  @Override
  public String id() {
    String id = sidecar.encoderId();
    return EncoderId.isEncoderId(id) ? EncoderId.parse(id).weights() : id;
  }

  @Override
  public Activation activation() {
    return Activation.parse(sidecar.activation());
  }

  /** {@code fp32} (the DJL engine's features to 1e-5, so the same encoder identity) or {@code int8}. */
  @Override
  public String numberFormat() {
    return sidecar.quantization().cliName();
  }

  @Override
  public int embedDim() {
    return sidecar.embedDim();
  }

  @Override
  public int imageSize() {
    return sidecar.preprocess().imageSize();
  }

  @Override
  public int contextLength() {
    return sidecar.contextLength();
  }

  @Override
  public int vocabSize() {
    return sidecar.vocabSize();
  }

  @Override
  public float logitScale() {
    return sidecar.logitScale();
  }

  @Override
  public ModelFamily family() {
    return sidecar.family();
  }

  @Override
  public float logitBias() {
    return sidecar.logitBias();
  }

  @Override
  public float[][] encodeImages(float[] pixels, int n) {
    int s = imageSize();
    if (pixels.length != n * 3 * s * s) {
      throw new IllegalArgumentException("pixels.length=" + pixels.length + " for n=" + n + " images of 3x" + s + "x" + s);
    }
    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {n, 3, s, s})) {
      return run(image, ClipGraphs.PIXELS, input);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on the image tower: " + e.getMessage(), e);
    }
  }

  @Override
  public float[][] encodeTexts(long[][] tokens) {
    int n = tokens.length;
    if (n == 0) {
      return new float[0][];
    }
    // CLIP: the graph runs only up to the longest text (the features at end-of-text are the same); SigLIP reads the
    // last position and attends to the padding, so its rows go in whole
    int t = family() == ModelFamily.SIGLIP ? contextLength() : TokenRows.longestText(tokens);
    try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(TokenRows.flatten(tokens, t)), new long[] {n, t})) {
      return run(text, ClipGraphs.TOKENS, input);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on the text tower: " + e.getMessage(), e);
    }
  }

  private static float[][] run(OrtSession session, String inputName, OnnxTensor input) throws OrtException {
    try (OrtSession.Result result = session.run(Map.of(inputName, input))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  @Override
  public void close() {
    closeQuietly(image);
    closeQuietly(text);
  }

  static void closeQuietly(OrtSession s) {
    if (s != null) {
      try {
        s.close();
      } catch (OrtException e) {
        // closing a session only frees native memory; nothing to report
      }
    }
  }
}

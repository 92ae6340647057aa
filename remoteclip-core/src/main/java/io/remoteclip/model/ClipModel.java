package io.remoteclip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.StateDict;

/**
 * A loaded CLIP or SigLIP ({@link ClipConfig#family()}): weights resident in native memory and the two encoders. Thread-safe for concurrent
 * encode calls (each call runs in its own {@link NDManager} sub-manager and returns plain Java arrays).
 */
public final class ClipModel implements ClipTowers {
  private final ClipConfig config;
  private final NDManager manager;
  private final Weights weights;
  private final String id;
  private final Precision precision;
  private final NDArray causalMask;

  private ClipModel(ClipConfig config, NDManager manager, Weights weights, String id, Precision precision) {
    this.config = config;
    this.manager = manager;
    this.weights = weights;
    this.id = id;
    this.precision = precision;
    int t = config.text().contextLength();
    try (NDManager scratch = manager.newSubManager()) {
      NDArray mask = TextTransformer.causalMask(scratch, t).toType(precision.dataType(), false);
      mask.attach(manager);
      this.causalMask = mask;
    }
  }

  /** Validates {@code sd} against {@code config} and copies the weights into native memory, in float32. */
  public static ClipModel load(StateDict sd, ClipConfig config, String id) throws ModelConfigException {
    return load(sd, config, id, Precision.FP32);
  }

  /** Validates {@code sd} against {@code config} and copies the weights into native memory in {@code precision}. */
  public static ClipModel load(StateDict sd, ClipConfig config, String id, Precision precision)
      throws ModelConfigException {
    if (precision.unavailableReason() != null) {
      throw new UnsupportedOperationException(precision.unavailableReason());
    }
    ClipLayout.validate(sd, config);
    NDManager manager = NDManager.newBaseManager();
    try {
      return new ClipModel(config, manager, Weights.load(sd, manager, precision), id, precision);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Wraps float32 weights already in {@code manager} (training); the model owns and closes the manager. */
  public static ClipModel wrap(ClipConfig config, NDManager manager, Weights weights, String id) {
    return new ClipModel(config, manager, weights, id, Precision.FP32);
  }

  public Precision precision() {
    return precision;
  }

  public ClipConfig config() {
    return config;
  }

  public Weights weights() {
    return weights;
  }

  public NDManager manager() {
    return manager;
  }

  /** Identifies the weights (for caches and indexes): name or path plus content fingerprint. */
  @Override
  public String id() {
    return id;
  }

  @Override
  public int embedDim() {
    return config.embedDim();
  }

  @Override
  public int imageSize() {
    return config.vision().imageSize();
  }

  @Override
  public int contextLength() {
    return config.text().contextLength();
  }

  @Override
  public Activation activation() {
    return config.activation();
  }

  @Override
  public String numberFormat() {
    return precision.cliName();
  }

  @Override
  public int vocabSize() {
    return config.text().vocabSize();
  }

  /** The raw learnable logit scale (before exp). */
  @Override
  public float logitScale() {
    return Weights.read(weights.get("logit_scale"))[0];
  }

  @Override
  public ModelFamily family() {
    return config.family();
  }

  /** SigLIP's learned logit bias; 0 for CLIP, which has none. */
  @Override
  public float logitBias() {
    NDArray bias = weights.getOrNull("logit_bias");
    return bias == null ? 0f : Weights.read(bias)[0];
  }

  /** Image features on NDArrays: [B, 3, S, S] → [B, embed], in the input's manager. */
  public NDArray encodeImage(NDArray pixels, ActivationTap tap) {
    if (config.vision() instanceof VitConfig v) {
      return VisionTransformer.forward(pixels, weights, v, config.activation(), tap);
    }
    if (config.vision() instanceof SiglipVisionConfig s) {
      return SiglipVision.forward(pixels, weights, s, config.activation(), tap);
    }
    return ModifiedResNet.forward(pixels, weights, (ResNetConfig) config.vision(), tap);
  }

  /** Text features on NDArrays: int64 [B, T] → [B, embed], in the input's manager. */
  public NDArray encodeText(NDArray tokens, ActivationTap tap) {
    if (config.family() == ModelFamily.SIGLIP) {
      return SiglipText.forward(tokens, weights, config.text(), config.activation(), tap);
    }
    return TextTransformer.forward(tokens, weights, config.text(), config.activation(), tap, causalMask);
  }

  /** {@code pixels}: {@code n} preprocessed images, CHW, concatenated → n unnormalised feature rows. */
  @Override
  public float[][] encodeImages(float[] pixels, int n) {
    int s = imageSize();
    if (pixels.length != n * 3 * s * s) {
      throw new IllegalArgumentException("pixels.length=" + pixels.length + " for n=" + n + " images of 3x" + s + "x" + s);
    }
    try (NDManager call = manager.newSubManager(); NoGrad noGrad = NoGrad.enter()) {
      NDArray input = call.create(pixels, new Shape(n, 3, s, s));
      if (precision != Precision.FP32) {
        input = input.toType(precision.dataType(), false);
      }
      return rows(toFloat32(encodeImage(input, null)).toFloatArray(), n);
    }
  }

  /**
   * {@code tokens}: rows of token ids (context length each) → unnormalised feature rows. A CLIP runs only up to
   * the batch's {@link TokenRows#longestText} (the same features as all positions: the attention is causal); a
   * SigLIP attends every position and reads the last, so it runs the whole rows.
   */
  @Override
  public float[][] encodeTexts(long[][] tokens) {
    int n = tokens.length;
    if (n == 0) {
      return new float[0][];
    }
    int length = config.family() == ModelFamily.SIGLIP ? tokens[0].length : TokenRows.longestText(tokens);
    try (NDManager call = manager.newSubManager(); NoGrad noGrad = NoGrad.enter()) {
      NDArray ids = tokenArray(call, tokens, length);
      return rows(toFloat32(encodeText(ids, null)).toFloatArray(), n);
    }
  }

  /** Rows of token ids (equal lengths) as an int64 [rows, length] array in {@code manager}. */
  public static NDArray tokenArray(NDManager manager, long[][] tokens) {
    return tokenArray(manager, tokens, tokens[0].length);
  }

  /** The first {@code length} ids of each row as an int64 [rows, length] array in {@code manager}. */
  public static NDArray tokenArray(NDManager manager, long[][] tokens, int length) {
    return manager.create(TokenRows.flatten(tokens, length), new Shape(tokens.length, length));
  }

  private static NDArray toFloat32(NDArray a) {
    return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
  }

  private static float[][] rows(float[] flat, int n) {
    int d = flat.length / n;
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}

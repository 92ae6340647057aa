package io.remoteclip.onnx;

import static io.remoteclip.onnx.OnnxGraph.attr;
import static io.remoteclip.onnx.OnnxGraph.attrs;

import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.DType;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.model.Activation;
import io.remoteclip.model.BlockKeys;
import io.remoteclip.onnx.ir.OnnxIr.TensorProto.DataType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * The building blocks shared by the towers as ONNX subgraphs, each mirroring one open_clip module and the
 * DJL implementation in {@code io.remoteclip.model.Layers} op for op (same order of scaling, masking and
 * residual adds, so float32 features agree to rounding). Weights are read from the state dict in float32,
 * when the model is written ({@link OnnxGraph}): float32 initialisers are recipes, not copies.
 */
final class TowerOps {
  static final float LN_EPS = 1e-5f;
  static final float BN_EPS = 1e-5f;

  final OnnxGraph g;
  private final StateDict sd;
  private final Quantization quantization;

  TowerOps(OnnxGraph g, StateDict sd, Quantization quantization) {
    this.g = g;
    this.sd = sd;
    this.quantization = quantization;
  }

  boolean quantized() {
    return quantization == Quantization.INT8;
  }

  /**
   * Weight {@code key} viewed as a matrix [dim 0, rest] and transposed, computed when the model is written
   * (a Linear's [out, in] becomes the [in, out] of x @ Wᵀ; the patch convolution's [W, 3, p, p] becomes [3pp, W]).
   */
  Supplier<float[]> transposed(String key) throws ModelConfigException {
    TensorData w = sd.get(key);
    int rows = (int) w.dim(0);
    int cols = (int) (w.numel() / rows);
    return () -> transpose(w.toFloats(), rows, cols);
  }

  long[] shape(String key) throws ModelConfigException {
    return sd.get(key).shape();
  }

  boolean contains(String key) {
    return sd.contains(key);
  }

  /** A state-dict tensor as a float32 initialiser of its own shape (a float32 tensor's bytes as they are). */
  String weight(String key) throws ModelConfigException {
    TensorData t = sd.get(key);
    if (t.dtype() != DType.FLOAT32) {
      return g.floats(key.replace('.', '_'), t::toFloats, t.shape());
    }
    return g.bytes(key.replace('.', '_'), DataType.FLOAT, () -> {
      ByteBuffer b = t.data();
      if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
        return b.array(); // a fresh read of a stored tensor, or an in-memory tensor's own array (only read)
      }
      byte[] copy = new byte[b.remaining()];
      b.get(copy);
      return copy;
    }, t.shape());
  }

  /** {@code nn.Linear} with weight [out, in] (optional bias): x @ Wᵀ + b; int8 under {@link Quantization#INT8}. */
  String linear(String x, String prefix) throws ModelConfigException {
    TensorData w = sd.get(prefix + ".weight");
    String y = matMulConst(x, transposed(prefix + ".weight"), (int) w.dim(1), (int) w.dim(0), prefix,
        quantization == Quantization.INT8);
    String bias = prefix + ".bias";
    return sd.contains(bias) ? g.op("Add", y, weight(bias)) : y;
  }

  /** A packed q, k, v projection: weight [3W, W] and bias [3W] under the given keys. */
  String packedProjection(String x, String weightKey, String biasKey) throws ModelConfigException {
    TensorData w = sd.get(weightKey);
    String y = matMulConst(x, transposed(weightKey), (int) w.dim(1), (int) w.dim(0), weightKey.replaceFirst("[._]weight$", ""),
        quantization == Quantization.INT8);
    return g.op("Add", y, weight(biasKey));
  }

  /**
   * x [..., k] times a constant [k, n] (row-major). int8: per-column symmetric weights (scale = max|w| / 127),
   * the activation quantised per tensor by {@code DynamicQuantizeLinear}; the integer product is rescaled by
   * activation scale × column scale — the pattern ONNX Runtime fuses into one {@code DynamicQuantizeMatMul}.
   */
  String matMulConst(String x, Supplier<float[]> kn, int k, int n, String prefix, boolean int8) {
    String hint = prefix.replace('.', '_');
    if (!int8) {
      return g.op("MatMul", x, g.floats(hint + "_wt", kn, k, n));
    }
    Int8Weights q = Int8Weights.perColumn(kn.get(), k, n); // int8: a quarter of the float32 weights, held until written
    String[] xq = g.ops("DynamicQuantizeLinear", 3, List.of(x));
    String product = g.op("MatMulInteger", List.of(xq[0], g.int8s(hint + "_wq", q.values(), k, n), xq[2]));
    String asFloat = g.op("Cast", product, attr("to", (long) io.remoteclip.onnx.ir.OnnxIr.TensorProto.DataType.FLOAT_VALUE));
    String scale = g.op("Mul", xq[1], g.floats(hint + "_wscale", q.scales(), n));
    return g.op("Mul", asFloat, scale);
  }

  /** {@code nn.LayerNorm} over the last axis (eps 1e-5, open_clip's default). */
  String layerNorm(String x, String prefix) throws ModelConfigException {
    return layerNorm(x, prefix, LN_EPS);
  }

  /** {@code nn.LayerNorm} over the last axis with {@code eps} (SigLIP's towers use 1e-6). */
  String layerNorm(String x, String prefix, float eps) throws ModelConfigException {
    return g.op("LayerNormalization", List.of(x, weight(prefix + ".weight"), weight(prefix + ".bias")),
        attr("axis", -1L), attr("epsilon", eps));
  }

  /** {@code nn.BatchNorm2d} with running statistics (inference). */
  String batchNorm(String x, String prefix) throws ModelConfigException {
    return g.op("BatchNormalization", List.of(x, weight(prefix + ".weight"), weight(prefix + ".bias"),
        weight(prefix + ".running_mean"), weight(prefix + ".running_var")), attr("epsilon", BN_EPS));
  }

  /** Bias-free square convolution (float32). */
  String conv(String x, String key, int stride, int padding) throws ModelConfigException {
    long[] s = shape(key);
    return g.op("Conv", List.of(x, weight(key)), attrs("kernel_shape", s[2], s[3]), attrs("strides", stride, stride),
        attrs("pads", padding, padding, padding, padding));
  }

  String avgPool(String x, int k) {
    return g.op("AveragePool", x, attrs("kernel_shape", k, k), attrs("strides", k, k));
  }

  String activation(String x, Activation act) {
    return switch (act) {
      case QUICK_GELU -> g.op("Mul", x, g.op("Sigmoid", g.op("Mul", x, g.scalar(1.702f))));
      // 0.5 x (1 + erf(x / sqrt 2)); opset 17 has no Gelu op
      case GELU -> g.op("Mul", g.op("Mul", x, g.scalar(0.5f)),
          g.op("Add", g.op("Erf", g.op("Div", x, g.scalar((float) Math.sqrt(2.0)))), g.scalar(1f)));
      // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
      case GELU_TANH -> g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", g.op("Tanh", g.op("Mul",
          g.op("Add", x, g.op("Mul", g.op("Mul", g.op("Mul", x, x), x), g.scalar(0.044715f))),
          g.scalar((float) Math.sqrt(2 / Math.PI)))), g.scalar(1f)));
    };
  }

  /**
   * Multi-head attention of q [B, Tq, W] over k, v [B, T, W] (already projected), as
   * {@code F.multi_head_attention_forward}: q scaled by head_dim^-0.5 before q·kᵀ, optional additive mask.
   */
  String attend(String q, String k, String v, int width, int heads, String mask) {
    long hd = width / heads;
    String heads4 = g.longs(0, 0, heads, hd);
    String qh = g.op("Mul", g.op("Transpose", g.op("Reshape", q, heads4), attrs("perm", 0, 2, 1, 3)),
        g.scalar((float) (1.0 / Math.sqrt(hd))));
    String kh = g.op("Transpose", g.op("Reshape", k, heads4), attrs("perm", 0, 2, 3, 1)); // [B, H, hd, T]
    String vh = g.op("Transpose", g.op("Reshape", v, heads4), attrs("perm", 0, 2, 1, 3));
    return mergeHeads(scoresTimesValues(qh, kh, vh, mask), width);
  }

  /** Self-attention with the packed q, k, v projection ({@code k}'s keys) split into heads at once. */
  String selfAttention(String x, BlockKeys k, int width, int heads, String mask) throws ModelConfigException {
    long hd = width / heads;
    String qkv = packedProjection(x, k.qkvWeight(), k.qkvBias());
    String packed = g.op("Transpose", g.op("Reshape", qkv, g.longs(0, 0, 3, heads, hd)), attrs("perm", 2, 0, 3, 1, 4));
    String q = g.op("Mul", g.op("Gather", packed, g.longScalar(0), attr("axis", 0L)), g.scalar((float) (1.0 / Math.sqrt(hd))));
    String kt = g.op("Transpose", g.op("Gather", packed, g.longScalar(1), attr("axis", 0L)), attrs("perm", 0, 1, 3, 2));
    String v = g.op("Gather", packed, g.longScalar(2), attr("axis", 0L));
    return linear(mergeHeads(scoresTimesValues(q, kt, v, mask), width), k.out());
  }

  private String scoresTimesValues(String qh, String kh, String vh, String mask) {
    String scores = g.op("MatMul", qh, kh); // [B, H, Tq, T]
    if (mask != null) {
      scores = g.op("Add", scores, mask);
    }
    return g.op("MatMul", g.op("Softmax", scores, attr("axis", -1L)), vh); // [B, H, Tq, hd]
  }

  private String mergeHeads(String heads, int width) {
    return g.op("Reshape", g.op("Transpose", heads, attrs("perm", 0, 2, 1, 3)), g.longs(0, 0, width));
  }

  /** open_clip {@code ResidualAttentionBlock}: pre-LN attention and MLP, each with a residual. */
  String residualBlock(String x, String prefix, int width, int heads, String mask, Activation act)
      throws ModelConfigException {
    return residualBlock(x, BlockKeys.openClip(prefix), width, heads, mask, act, LN_EPS);
  }

  /**
   * A pre-LN transformer block (open_clip's {@code ResidualAttentionBlock}, timm's {@code Block} without layer
   * scale) on the tensors {@code k} names, LayerNorms with {@code eps}: x + attn(ln1(x)), then + mlp(ln2(·)).
   */
  String residualBlock(String x, BlockKeys k, int width, int heads, String mask, Activation act, float eps)
      throws ModelConfigException {
    String x1 = g.op("Add", x, selfAttention(layerNorm(x, k.norm1(), eps), k, width, heads, mask));
    return g.op("Add", x1, mlp(layerNorm(x1, k.norm2(), eps), k.fc1(), k.fc2(), act));
  }

  /** {@code fc2(act(fc1(x)))}, both Linear with bias. */
  String mlp(String x, String fc1, String fc2, Activation act) throws ModelConfigException {
    return linear(activation(linear(x, fc1), act), fc2);
  }

  /** Row-major [rows, cols] → [cols, rows]. */
  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }
}

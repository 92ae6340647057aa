package io.remoteclip.onnx;

import static io.remoteclip.onnx.OnnxGraph.attr;
import static io.remoteclip.onnx.OnnxGraph.attrs;

import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.ResNetConfig;
import io.remoteclip.model.SiglipVisionConfig;
import io.remoteclip.model.TextConfig;
import io.remoteclip.model.VitConfig;
import io.remoteclip.onnx.ir.OnnxIr.TensorProto.DataType;
import java.util.List;

/**
 * The image and text towers of a CLIP or SigLIP ({@link SiglipGraphs}) as ONNX graphs, mirroring
 * {@code io.remoteclip.model.VisionTransformer}, {@code ModifiedResNet} and {@code TextTransformer}. Batch (and the text's token count) are symbolic
 * dimensions; weights are initialisers.
 */
public final class ClipGraphs {
  public static final String PIXELS = "pixels";
  public static final String IMAGE_FEATURES = "image_features";
  public static final String TOKENS = "tokens";
  public static final String TEXT_FEATURES = "text_features";

  private ClipGraphs() {}

  /** pixels float [batch, 3, S, S] (normalised) → image_features float [batch, embed]. */
  static OnnxGraph image(StateDict sd, ClipConfig c, Quantization q) throws ModelConfigException {
    OnnxGraph g = new OnnxGraph("remoteclip_image");
    int s = c.vision().imageSize();
    g.input(PIXELS, DataType.FLOAT, "batch", 3L, (long) s, (long) s);
    TowerOps t = new TowerOps(g, sd, q);
    String features;
    if (c.vision() instanceof VitConfig v) {
      features = vit(t, PIXELS, v, c);
    } else if (c.vision() instanceof SiglipVisionConfig v) {
      features = SiglipGraphs.vision(t, PIXELS, v, c.activation());
    } else {
      features = resnet(t, PIXELS, (ResNetConfig) c.vision());
    }
    g.outputAs(features, IMAGE_FEATURES);
    g.output(IMAGE_FEATURES, DataType.FLOAT, "batch", (long) c.embedDim());
    return g;
  }

  /**
   * tokens int64 [batch, tokens] (CLIP: tokens ≤ context length; SigLIP: exactly the context length, as its
   * feature is read at the last position) → text_features float [batch, embed].
   */
  static OnnxGraph text(StateDict sd, ClipConfig c, Quantization q) throws ModelConfigException {
    OnnxGraph g = new OnnxGraph("remoteclip_text");
    boolean siglip = c.family() == ModelFamily.SIGLIP;
    g.input(TOKENS, DataType.INT64, "batch", siglip ? (Object) (long) c.text().contextLength() : "tokens");
    TowerOps t = new TowerOps(g, sd, q);
    g.outputAs(siglip ? SiglipGraphs.text(t, TOKENS, c.text(), c.activation()) : textTower(t, TOKENS, c.text(), c),
        TEXT_FEATURES);
    g.output(TEXT_FEATURES, DataType.FLOAT, "batch", (long) c.embedDim());
    return g;
  }

  /**
   * open_clip {@code VisionTransformer}. The patch convolution (stride = kernel, no padding) is written as
   * what it is, a matrix product over non-overlapping patches, so that int8 treats it like every Linear.
   */
  private static String vit(TowerOps t, String pixels, VitConfig v, ClipConfig c) throws ModelConfigException {
    OnnxGraph g = t.g;
    int p = v.patchSize();
    int grid = v.grid();
    int w = v.width();
    // [B, 3, g, p, g, p] → [B, g, g, 3, p, p] → [B, g*g, 3*p*p]: grid row-major, features in conv1 weight order
    String patches = g.op("Reshape", g.op("Transpose", g.op("Reshape", pixels, g.longs(-1, 3, grid, p, grid, p)),
        attrs("perm", 0, 2, 4, 1, 3, 5)), g.longs(0, (long) grid * grid, 3L * p * p));
    // conv1 weight [W, 3, p, p] = [W, 3pp]
    String x = t.matMulConst(patches, t.transposed("visual.conv1.weight"), 3 * p * p, w, "visual.conv1",
        t.quantized()); // [B, g*g, W]
    // class token expanded to [B, 1, W]
    String batch = g.op("Slice", List.of(g.op("Shape", pixels), g.longs(0), g.longs(1)));
    String clsShape = g.op("Concat", List.of(batch, g.longs(1, w)), attr("axis", 0L));
    String cls = g.op("Expand", g.op("Reshape", t.weight("visual.class_embedding"), g.longs(1, 1, w)), clsShape);
    x = g.op("Add", g.op("Concat", List.of(cls, x), attr("axis", 1L)), t.weight("visual.positional_embedding"));
    x = t.layerNorm(x, "visual.ln_pre");
    for (int i = 0; i < v.layers(); i++) {
      x = t.residualBlock(x, "visual.transformer.resblocks." + i, w, v.heads(), null, c.activation());
    }
    x = t.layerNorm(g.op("Gather", x, g.longScalar(0), attr("axis", 1L)), "visual.ln_post"); // [B, W]
    return g.op("MatMul", x, t.weight("visual.proj"));
  }

  /** open_clip {@code ModifiedResNet}: stem, four stages of Bottlenecks, attention pool. */
  private static String resnet(TowerOps t, String pixels, ResNetConfig r) throws ModelConfigException {
    String x = pixels;
    for (int i = 1; i <= 3; i++) {
      x = t.g.op("Relu", t.batchNorm(t.conv(x, "visual.conv" + i + ".weight", i == 1 ? 2 : 1, 1), "visual.bn" + i));
    }
    x = t.avgPool(x, 2);
    int[] layers = r.layers();
    for (int stage = 0; stage < 4; stage++) {
      for (int block = 0; block < layers[stage]; block++) {
        x = bottleneck(t, x, "visual.layer" + (stage + 1) + "." + block, stage > 0 && block == 0 ? 2 : 1);
      }
    }
    return attentionPool(t, x, r.poolWidth(), r.heads());
  }

  private static String bottleneck(TowerOps t, String x, String p, int stride) throws ModelConfigException {
    OnnxGraph g = t.g;
    String out = g.op("Relu", t.batchNorm(t.conv(x, p + ".conv1.weight", 1, 0), p + ".bn1"));
    out = g.op("Relu", t.batchNorm(t.conv(out, p + ".conv2.weight", 1, 1), p + ".bn2"));
    if (stride > 1) {
      out = t.avgPool(out, stride);
    }
    out = t.batchNorm(t.conv(out, p + ".conv3.weight", 1, 0), p + ".bn3");
    String identity = x;
    if (t.contains(p + ".downsample.0.weight")) {
      String pooled = stride > 1 ? t.avgPool(x, stride) : x;
      identity = t.batchNorm(t.conv(pooled, p + ".downsample.0.weight", 1, 0), p + ".downsample.1");
    }
    return g.op("Relu", g.op("Add", out, identity));
  }

  /** open_clip {@code AttentionPool2d}: [B, C, H, W] → [B, out], the query being the mean token. */
  private static String attentionPool(TowerOps t, String x, int channels, int heads) throws ModelConfigException {
    OnnxGraph g = t.g;
    String tokens = g.op("Transpose", g.op("Reshape", x, g.longs(0, channels, -1)), attrs("perm", 0, 2, 1)); // [B, HW, C]
    String mean = g.op("ReduceMean", tokens, attrs("axes", 1), attr("keepdims", 1L));
    tokens = g.op("Add", g.op("Concat", List.of(mean, tokens), attr("axis", 1L)),
        t.weight("visual.attnpool.positional_embedding"));
    String first = g.op("Slice", List.of(tokens, g.longs(0), g.longs(1), g.longs(1)));
    String q = t.linear(first, "visual.attnpool.q_proj");
    String k = t.linear(tokens, "visual.attnpool.k_proj");
    String v = t.linear(tokens, "visual.attnpool.v_proj");
    String pooled = g.op("Reshape", t.attend(q, k, v, channels, heads, null), g.longs(0, channels)); // [B, C]
    return t.linear(pooled, "visual.attnpool.c_proj");
  }

  /**
   * open_clip {@code encode_text}. Positional embedding and causal mask are sliced to the input's token count,
   * so a batch may be given only up to its longest text (exact: the attention is causal).
   */
  private static String textTower(TowerOps t, String tokens, TextConfig tc, ClipConfig c) throws ModelConfigException {
    OnnxGraph g = t.g;
    String count = g.op("Slice", List.of(g.op("Shape", tokens), g.longs(1), g.longs(2))); // [1]
    String x = g.op("Gather", List.of(t.weight("token_embedding.weight"), tokens), attr("axis", 0L)); // [B, T, W]
    String pos = g.op("Slice", List.of(t.weight("positional_embedding"), g.longs(0), count, g.longs(0)));
    x = g.op("Add", x, pos);
    String mask = g.op("Slice", List.of(causalMask(g, tc.contextLength()), g.longs(0, 0),
        g.op("Concat", List.of(count, count), attr("axis", 0L)), g.longs(0, 1)));
    for (int i = 0; i < tc.layers(); i++) {
      x = t.residualBlock(x, "transformer.resblocks." + i, tc.width(), tc.heads(), mask, c.activation());
    }
    x = t.layerNorm(x, "ln_final");
    // the end-of-text token has the largest id: its position is the argmax of each row
    String eot = g.op("ArgMax", tokens, attr("axis", 1L), attr("keepdims", 1L)); // [B, 1]
    String pooled = g.op("GatherND", List.of(x, eot), attr("batch_dims", 1L)); // [B, W]
    return g.op("MatMul", pooled, t.weight("text_projection"));
  }

  /** [T, T] additive mask: −inf above the diagonal, 0 elsewhere. */
  private static String causalMask(OnnxGraph g, int t) {
    float[] m = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        m[i * t + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return g.floats("causal_mask", m, t, t);
  }
}

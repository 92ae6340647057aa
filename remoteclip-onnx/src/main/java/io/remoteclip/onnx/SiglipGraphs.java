package io.remoteclip.onnx;

import static io.remoteclip.onnx.OnnxGraph.attr;
import static io.remoteclip.onnx.OnnxGraph.attrs;

import io.remoteclip.ModelConfigException;
import io.remoteclip.model.Activation;
import io.remoteclip.model.BlockKeys;
import io.remoteclip.model.SiglipVisionConfig;
import io.remoteclip.model.TextConfig;
import java.util.List;

/**
 * SigLIP's towers as ONNX subgraphs, mirroring {@code io.remoteclip.model.SiglipVision} and {@code SiglipText} op
 * for op (open_clip names: a timm trunk under {@code visual.trunk.}, the text tower under {@code text.}). All
 * LayerNorms use eps 1e-6.
 */
final class SiglipGraphs {
  static final float LN_EPS = 1e-6f;
  private static final String P = "visual.trunk.";

  private SiglipGraphs() {}

  /**
   * timm's SigLIP {@code VisionTransformer}: patch embedding with bias (a matrix product over non-overlapping
   * patches, so int8 treats it like every Linear; pixels past the last whole patch are ignored, as the strided
   * convolution does), learned positions, no class token, no pre-norm, blocks, final LayerNorm, MAP head.
   */
  static String vision(TowerOps t, String pixels, SiglipVisionConfig v, Activation act) throws ModelConfigException {
    OnnxGraph g = t.g;
    int p = v.patchSize();
    int grid = v.grid();
    int w = v.width();
    String x = pixels;
    if (grid * p != v.imageSize()) {
      x = g.op("Slice", List.of(x, g.longs(0, 0), g.longs((long) grid * p, (long) grid * p), g.longs(2, 3)));
    }
    // [B, 3, g, p, g, p] → [B, g, g, 3, p, p] → [B, g*g, 3*p*p]: grid row-major, features in the conv weight's order
    String patches = g.op("Reshape", g.op("Transpose", g.op("Reshape", x, g.longs(-1, 3, grid, p, grid, p)),
        attrs("perm", 0, 2, 4, 1, 3, 5)), g.longs(0, (long) grid * grid, 3L * p * p));
    x = t.matMulConst(patches, t.transposed(P + "patch_embed.proj.weight"), 3 * p * p, w, P + "patch_embed.proj",
        t.quantized());
    x = g.op("Add", g.op("Add", x, t.weight(P + "patch_embed.proj.bias")), t.weight(P + "pos_embed")); // [B, g*g, W]
    for (int i = 0; i < v.layers(); i++) {
      x = t.residualBlock(x, BlockKeys.timm(P + "blocks." + i), w, v.heads(), null, act, LN_EPS);
    }
    return mapHead(t, t.layerNorm(x, P + "norm", LN_EPS), v, act);
  }

  /**
   * timm's {@code AttentionPoolLatent}: the learned latent [1, 1, W] as the only query (broadcast over the batch
   * by the attention's MatMul), keys and values from the packed {@code kv} projection (k first), output
   * projection, then y + mlp(norm(y)); token 0 → [B, W].
   */
  private static String mapHead(TowerOps t, String x, SiglipVisionConfig v, Activation act) throws ModelConfigException {
    OnnxGraph g = t.g;
    String p = P + "attn_pool.";
    long w = v.width();
    String q = t.linear(t.weight(p + "latent"), p + "q"); // [1, 1, W]
    String kv = t.linear(x, p + "kv"); // [B, T, 2W]
    String k = g.op("Slice", List.of(kv, g.longs(0), g.longs(w), g.longs(2)));
    String val = g.op("Slice", List.of(kv, g.longs(w), g.longs(2 * w), g.longs(2)));
    String y = t.linear(t.attend(q, k, val, v.width(), v.heads(), null), p + "proj"); // [B, 1, W]
    y = g.op("Add", y, t.mlp(t.layerNorm(y, p + "norm", LN_EPS), p + "mlp.fc1", p + "mlp.fc2", act));
    return g.op("Reshape", y, g.longs(0, w));
  }

  /**
   * open_clip's SigLIP {@code TextTransformer}: token + position embeddings, blocks with no mask at all (padding
   * is attended too), ln_final, the last position (whatever token is there), projection with bias. The rows
   * must have the full context length.
   */
  static String text(TowerOps t, String tokens, TextConfig tc, Activation act) throws ModelConfigException {
    OnnxGraph g = t.g;
    String x = g.op("Gather", List.of(t.weight("text.token_embedding.weight"), tokens), attr("axis", 0L)); // [B, T, W]
    x = g.op("Add", x, t.weight("text.positional_embedding"));
    for (int i = 0; i < tc.layers(); i++) {
      x = t.residualBlock(x, BlockKeys.openClip("text.transformer.resblocks." + i), tc.width(), tc.heads(), null,
          act, LN_EPS);
    }
    x = t.layerNorm(x, "text.ln_final", LN_EPS);
    String last = g.op("Gather", x, g.longScalar(tc.contextLength() - 1), attr("axis", 1L)); // [B, W]
    return t.linear(last, "text.text_projection");
  }
}

package io.remoteclip.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state-dict keys and shapes of open_clip's SigLIP ({@code CustomTextCLIP} with a timm trunk under
 * {@code visual.trunk.} and its text tower under {@code text.}), in open_clip's {@code state_dict()} order: the
 * names every SigLIP checkpoint is read into, whatever its layout (Hugging Face names are mapped to these).
 */
final class SiglipLayout {
  private SiglipLayout() {}

  static Map<String, long[]> expectedShapes(ClipConfig c) {
    SiglipVisionConfig v = (SiglipVisionConfig) c.vision();
    TextConfig t = c.text();
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("logit_scale", new long[0]);
    m.put("logit_bias", new long[0]);
    long w = v.width();
    String p = "visual.trunk.";
    m.put(p + "pos_embed", s(1, (long) v.grid() * v.grid(), w));
    m.put(p + "patch_embed.proj.weight", s(w, 3, v.patchSize(), v.patchSize()));
    m.put(p + "patch_embed.proj.bias", s(w));
    for (int i = 0; i < v.layers(); i++) {
      String b = p + "blocks." + i;
      pair(m, b + ".norm1", s(w), s(w));
      pair(m, b + ".attn.qkv", s(3 * w, w), s(3 * w));
      pair(m, b + ".attn.proj", s(w, w), s(w));
      pair(m, b + ".norm2", s(w), s(w));
      mlp(m, b + ".mlp.fc1", b + ".mlp.fc2", w, v.mlpWidth());
    }
    pair(m, p + "norm", s(w), s(w));
    m.put(p + "attn_pool.latent", s(1, 1, w));
    pair(m, p + "attn_pool.q", s(w, w), s(w));
    pair(m, p + "attn_pool.kv", s(2 * w, w), s(2 * w));
    pair(m, p + "attn_pool.proj", s(w, w), s(w));
    pair(m, p + "attn_pool.norm", s(w), s(w));
    mlp(m, p + "attn_pool.mlp.fc1", p + "attn_pool.mlp.fc2", w, v.mlpWidth());
    long tw = t.width();
    m.put("text.positional_embedding", s(t.contextLength(), tw));
    m.put("text.token_embedding.weight", s(t.vocabSize(), tw));
    for (int i = 0; i < t.layers(); i++) {
      String b = "text.transformer.resblocks." + i;
      pair(m, b + ".ln_1", s(tw), s(tw));
      m.put(b + ".attn.in_proj_weight", s(3 * tw, tw));
      m.put(b + ".attn.in_proj_bias", s(3 * tw));
      pair(m, b + ".attn.out_proj", s(tw, tw), s(tw));
      pair(m, b + ".ln_2", s(tw), s(tw));
      mlp(m, b + ".mlp.c_fc", b + ".mlp.c_proj", tw, t.mlpWidth());
    }
    pair(m, "text.ln_final", s(tw), s(tw));
    pair(m, "text.text_projection", s(c.embedDim(), tw), s(c.embedDim()));
    return m;
  }

  private static void pair(Map<String, long[]> m, String prefix, long[] weight, long[] bias) {
    m.put(prefix + ".weight", weight);
    m.put(prefix + ".bias", bias);
  }

  private static void mlp(Map<String, long[]> m, String fc1, String fc2, long width, long hidden) {
    pair(m, fc1, s(hidden, width), s(hidden));
    pair(m, fc2, s(width, hidden), s(width));
  }

  private static long[] s(long... dims) {
    return dims;
  }
}

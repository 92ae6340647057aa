package io.remoteclip.model;

import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state-dict keys and shapes open_clip's {@code CLIP} module (or, for SigLIP, {@code CustomTextCLIP}: see
 * {@link SiglipLayout}) has for a config, in open_clip's {@code state_dict()} order. Used to validate checkpoints (one clear error per wrong shape), to
 * initialise models from scratch and to write checkpoints that {@code load_state_dict(strict=True)} accepts.
 */
public final class ClipLayout {
  private ClipLayout() {}

  /** An empty shape marks a 0-d tensor; keys ending in {@code num_batches_tracked} are int64. */
  public static Map<String, long[]> expectedShapes(ClipConfig c) {
    if (c.family() == ModelFamily.SIGLIP) {
      return SiglipLayout.expectedShapes(c);
    }
    Map<String, long[]> m = new LinkedHashMap<>();
    TextConfig t = c.text();
    m.put("positional_embedding", s(t.contextLength(), t.width()));
    m.put("text_projection", s(t.width(), c.embedDim()));
    m.put("logit_scale", s());
    if (c.vision() instanceof VitConfig v) {
      long w = v.width();
      m.put("visual.class_embedding", s(w));
      m.put("visual.positional_embedding", s((long) v.grid() * v.grid() + 1, w));
      m.put("visual.proj", s(w, c.embedDim()));
      m.put("visual.conv1.weight", s(w, 3, v.patchSize(), v.patchSize()));
      ln(m, "visual.ln_pre", w);
      for (int i = 0; i < v.layers(); i++) {
        block(m, "visual.transformer.resblocks." + i, w);
      }
      ln(m, "visual.ln_post", w);
    } else if (c.vision() instanceof ResNetConfig r) {
      long w = r.width();
      m.put("visual.conv1.weight", s(w / 2, 3, 3, 3));
      bn(m, "visual.bn1", w / 2);
      m.put("visual.conv2.weight", s(w / 2, w / 2, 3, 3));
      bn(m, "visual.bn2", w / 2);
      m.put("visual.conv3.weight", s(w, w / 2, 3, 3));
      bn(m, "visual.bn3", w);
      long inplanes = w;
      for (int stage = 0; stage < 4; stage++) {
        long planes = w << stage;
        for (int b = 0; b < r.layers()[stage]; b++) {
          String p = "visual.layer" + (stage + 1) + "." + b;
          int stride = stage > 0 && b == 0 ? 2 : 1;
          m.put(p + ".conv1.weight", s(planes, inplanes, 1, 1));
          bn(m, p + ".bn1", planes);
          m.put(p + ".conv2.weight", s(planes, planes, 3, 3));
          bn(m, p + ".bn2", planes);
          m.put(p + ".conv3.weight", s(planes * 4, planes, 1, 1));
          bn(m, p + ".bn3", planes * 4);
          if (stride > 1 || inplanes != planes * 4) {
            m.put(p + ".downsample.0.weight", s(planes * 4, inplanes, 1, 1));
            bn(m, p + ".downsample.1", planes * 4);
          }
          inplanes = planes * 4;
        }
      }
      long pw = r.poolWidth();
      long grid = r.imageSize() / 32;
      m.put("visual.attnpool.positional_embedding", s(grid * grid + 1, pw));
      for (String proj : new String[] {"k_proj", "q_proj", "v_proj"}) {
        m.put("visual.attnpool." + proj + ".weight", s(pw, pw));
        m.put("visual.attnpool." + proj + ".bias", s(pw));
      }
      m.put("visual.attnpool.c_proj.weight", s(c.embedDim(), pw));
      m.put("visual.attnpool.c_proj.bias", s(c.embedDim()));
    }
    for (int i = 0; i < t.layers(); i++) {
      block(m, "transformer.resblocks." + i, t.width());
    }
    m.put("token_embedding.weight", s(t.vocabSize(), t.width()));
    ln(m, "ln_final", t.width());
    return m;
  }

  /** Checks that {@code sd} has every expected tensor with the expected shape. */
  public static void validate(StateDict sd, ClipConfig c) throws ModelConfigException {
    for (Map.Entry<String, long[]> e : expectedShapes(c).entrySet()) {
      TensorData t = sd.get(e.getKey());
      if (!Arrays.equals(t.shape(), e.getValue()) && !(e.getValue().length == 0 && t.numel() == 1)) {
        throw new ModelConfigException(sd.source() + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
            + " vs expected " + Arrays.toString(e.getValue()) + " for the inferred architecture");
      }
    }
  }

  private static void block(Map<String, long[]> m, String p, long w) {
    ln(m, p + ".ln_1", w);
    m.put(p + ".attn.in_proj_weight", s(3 * w, w));
    m.put(p + ".attn.in_proj_bias", s(3 * w));
    m.put(p + ".attn.out_proj.weight", s(w, w));
    m.put(p + ".attn.out_proj.bias", s(w));
    ln(m, p + ".ln_2", w);
    m.put(p + ".mlp.c_fc.weight", s(4 * w, w));
    m.put(p + ".mlp.c_fc.bias", s(4 * w));
    m.put(p + ".mlp.c_proj.weight", s(w, 4 * w));
    m.put(p + ".mlp.c_proj.bias", s(w));
  }

  private static void ln(Map<String, long[]> m, String p, long w) {
    m.put(p + ".weight", s(w));
    m.put(p + ".bias", s(w));
  }

  private static void bn(Map<String, long[]> m, String p, long w) {
    ln(m, p, w);
    m.put(p + ".running_mean", s(w));
    m.put(p + ".running_var", s(w));
    m.put(p + ".num_batches_tracked", s());
  }

  private static long[] s(long... dims) {
    return dims;
  }
}

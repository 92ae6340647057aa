package io.remoteclip.layout;

import io.remoteclip.ModelConfigException;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.checkpoint.TensorData;
import io.remoteclip.model.ModelFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face {@code CLIPModel} and {@code SiglipModel} tensor names mapped to open_clip's, the names the towers
 * read. Renames keep the tensors in their files; the only changes of content are views: separate q, k, v
 * projections stacked into open_clip's packed one, SigLIP's MAP-head {@code in_proj} split into timm's {@code q} and
 * {@code kv}, a position table given its batch axis, 1-element logit parameters made 0-d, and CLIP's two
 * projection matrices transposed (HF stores {@code Linear} weights, open_clip the matrices they multiply by).
 */
final class HfKeys {
  private static final Pattern QKV =
      Pattern.compile("(text_model|vision_model)\\.encoder\\.layers\\.(\\d+)\\.self_attn\\.([qkv])_proj\\.(weight|bias)");
  private static final Pattern HEAD_IN_PROJ = Pattern.compile("vision_model\\.head\\.attention\\.in_proj_(weight|bias)");

  private record Rename(Pattern from, String to) {}

  /**
   * One tensor name in both layouts, transformers' and open_clip's; {@code {name}} marks a part both share:
   * {@code {n}} a layer number, {@code {rest}} the rest of a name inside a block, {@code {wb}} weight or bias,
   * {@code {fc}} fc1 or fc2. Both rename directions are made from these pairs, so they cannot drift apart.
   */
  private record Pair(String hf, String openClip) {}

  private static final Map<String, String> PARTS = Map.of("n", "\\d+", "rest", ".*", "wb", "weight|bias", "fc", "fc1|fc2");
  private static final Pattern PART = Pattern.compile("\\{(\\w+)}");

  /** CLIPModel and open_clip's CLIP (block contents are renamed by {@link #blockPart}). */
  private static final List<Pair> CLIP = List.of(
      new Pair("text_model.embeddings.token_embedding.weight", "token_embedding.weight"),
      new Pair("text_model.embeddings.position_embedding.weight", "positional_embedding"),
      new Pair("text_model.encoder.layers.{n}.{rest}", "transformer.resblocks.{n}.{rest}"),
      new Pair("text_model.final_layer_norm.{wb}", "ln_final.{wb}"),
      new Pair("vision_model.embeddings.class_embedding", "visual.class_embedding"),
      new Pair("vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"),
      new Pair("vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"),
      new Pair("vision_model.pre_layrnorm.{wb}", "visual.ln_pre.{wb}"),
      new Pair("vision_model.encoder.layers.{n}.{rest}", "visual.transformer.resblocks.{n}.{rest}"),
      new Pair("vision_model.post_layernorm.{wb}", "visual.ln_post.{wb}"),
      new Pair("logit_scale", "logit_scale"));

  /** SiglipModel and open_clip's CustomTextCLIP with its timm trunk. */
  private static final List<Pair> SIGLIP = List.of(
      new Pair("logit_scale", "logit_scale"),
      new Pair("logit_bias", "logit_bias"),
      new Pair("text_model.embeddings.token_embedding.weight", "text.token_embedding.weight"),
      new Pair("text_model.embeddings.position_embedding.weight", "text.positional_embedding"),
      new Pair("text_model.encoder.layers.{n}.{rest}", "text.transformer.resblocks.{n}.{rest}"),
      new Pair("text_model.final_layer_norm.{wb}", "text.ln_final.{wb}"),
      new Pair("text_model.head.{wb}", "text.text_projection.{wb}"),
      new Pair("vision_model.embeddings.patch_embedding.{wb}", "visual.trunk.patch_embed.proj.{wb}"),
      new Pair("vision_model.embeddings.position_embedding.weight", "visual.trunk.pos_embed"),
      new Pair("vision_model.encoder.layers.{n}.{rest}", "visual.trunk.blocks.{n}.{rest}"),
      new Pair("vision_model.post_layernorm.{wb}", "visual.trunk.norm.{wb}"),
      new Pair("vision_model.head.probe", "visual.trunk.attn_pool.latent"),
      new Pair("vision_model.head.attention.out_proj.{wb}", "visual.trunk.attn_pool.proj.{wb}"),
      new Pair("vision_model.head.layernorm.{wb}", "visual.trunk.attn_pool.norm.{wb}"),
      new Pair("vision_model.head.mlp.{fc}.{wb}", "visual.trunk.attn_pool.mlp.{fc}.{wb}"));

  /**
   * Module names inside a block: transformers', open_clip's (text, and CLIP vision) and timm's (SigLIP vision);
   * both directions of {@link #blockPart} are made from these.
   */
  private record BlockPart(String hf, String openClip, String timm) {}

  private static final List<BlockPart> BLOCK_PARTS = List.of(
      new BlockPart(".self_attn.out_proj.", ".attn.out_proj.", ".attn.proj."),
      new BlockPart(".layer_norm1.", ".ln_1.", ".norm1."),
      new BlockPart(".layer_norm2.", ".ln_2.", ".norm2."),
      new BlockPart(".mlp.fc1.", ".mlp.c_fc.", ".mlp.fc1."),
      new BlockPart(".mlp.fc2.", ".mlp.c_proj.", ".mlp.fc2."));

  private static final List<Rename> CLIP_RENAMES = renames(CLIP, true);
  private static final List<Rename> SIGLIP_RENAMES = renames(SIGLIP, true);
  private static final List<Rename> CLIP_INVERSE = renames(CLIP, false);
  private static final List<Rename> SIGLIP_INVERSE = renames(SIGLIP, false);

  private HfKeys() {}

  /** The renames from transformers' names to open_clip's ({@code toOpenClip}) or back. */
  private static List<Rename> renames(List<Pair> pairs, boolean toOpenClip) {
    List<Rename> out = new ArrayList<>(pairs.size());
    for (Pair p : pairs) {
      out.add(toOpenClip ? rename(p.hf(), p.openClip()) : rename(p.openClip(), p.hf()));
    }
    return List.copyOf(out);
  }

  /** A name template as a pattern ({@code {part}} a named group) and the other side as its replacement. */
  private static Rename rename(String from, String to) {
    StringBuilder regex = new StringBuilder();
    int at = 0;
    Matcher m = PART.matcher(from);
    while (m.find()) {
      regex.append(Pattern.quote(from.substring(at, m.start()))).append("(?<").append(m.group(1)).append('>')
          .append(part(m.group(1))).append(')');
      at = m.end();
    }
    regex.append(Pattern.quote(from.substring(at)));
    StringBuilder replacement = new StringBuilder();
    at = 0;
    m = PART.matcher(to);
    while (m.find()) {
      replacement.append(Matcher.quoteReplacement(to.substring(at, m.start()))).append("${").append(m.group(1)).append('}');
      at = m.end();
    }
    replacement.append(Matcher.quoteReplacement(to.substring(at)));
    return new Rename(Pattern.compile(regex.toString()), replacement.toString());
  }

  private static String part(String name) {
    String regex = PARTS.get(name);
    if (regex == null) {
      throw new IllegalStateException("no name part {" + name + "}");
    }
    return regex;
  }

  private static final Pattern PACKED_QKV = Pattern.compile("(.*)\\.(attn\\.in_proj_|attn\\.qkv\\.)(weight|bias)");
  private static final Pattern POOL_Q_KV = Pattern.compile("visual\\.trunk\\.attn_pool\\.(q|kv)\\.(weight|bias)");


  /** True when {@code sd} has transformers' names (a tower under {@code vision_model.} or {@code text_model.}). */
  static boolean looksLikeTransformers(StateDict sd) {
    return sd.keys().stream().anyMatch(k -> k.startsWith("vision_model.") || k.startsWith("text_model."));
  }

  /** {@code hf}'s tensors under open_clip's names for {@code family}. */
  static StateDict toOpenClip(StateDict hf, ModelFamily family) throws ModelConfigException {
    boolean siglip = family == ModelFamily.SIGLIP;
    Map<String, TensorData> out = new LinkedHashMap<>();
    Map<String, TensorData[]> packed = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, TensorData> e : hf.asMap().entrySet()) {
      String key = e.getKey();
      TensorData t = e.getValue();
      Matcher qkv = QKV.matcher(key);
      Matcher headInProj = HEAD_IN_PROJ.matcher(key);
      if (key.endsWith("position_ids")) {
        continue; // a buffer of arange(positions) older transformers versions saved
      }
      if (qkv.matches()) {
        String tower = qkv.group(1).equals("text_model") ? (siglip ? "text.transformer.resblocks." : "transformer.resblocks.")
            : (siglip ? "visual.trunk.blocks." : "visual.transformer.resblocks.");
        String target = tower + qkv.group(2) + (siglip && tower.startsWith("visual") ? ".attn.qkv." + qkv.group(4)
            : ".attn.in_proj_" + qkv.group(4));
        TensorData[] parts = packed.computeIfAbsent(target, k -> new TensorData[3]);
        out.putIfAbsent(target, null); // keeps the packed tensor where its first part was
        parts["qkv".indexOf(qkv.group(3))] = t;
      } else if (siglip && headInProj.matches()) {
        long w = t.dim(0) / 3;
        out.put("visual.trunk.attn_pool.q." + headInProj.group(1), t.rows(0, w));
        out.put("visual.trunk.attn_pool.kv." + headInProj.group(1), t.rows(w, 3 * w));
      } else if (!siglip && key.equals("visual_projection.weight")) {
        out.put("visual.proj", t.transpose2d());
      } else if (!siglip && key.equals("text_projection.weight")) {
        out.put("text_projection", t.transpose2d());
      } else {
        String target = rename(key, siglip ? SIGLIP_RENAMES : CLIP_RENAMES);
        if (target == null) {
          unknown.add(key);
          continue;
        }
        out.put(blockPart(target, siglip), reshaped(target, t, siglip));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ModelConfigException(hf.source() + ": " + unknown.size() + " tensor(s) a transformers "
          + (siglip ? "SiglipModel" : "CLIPModel") + " does not have, e.g. '" + unknown.get(0) + "'");
    }
    for (Map.Entry<String, TensorData[]> e : packed.entrySet()) {
      TensorData[] p = e.getValue();
      if (p[0] == null || p[1] == null || p[2] == null) {
        throw new ModelConfigException(hf.source() + ": the q, k and v projections behind '" + e.getKey()
            + "' are not all there");
      }
      out.put(e.getKey(), TensorData.concatRows(List.of(p)));
    }
    List<String> notes = new ArrayList<>(hf.notes());
    notes.add("transformers " + (siglip ? "SiglipModel" : "CLIPModel") + " names mapped to open_clip's");
    return new StateDict(out, hf.source(), notes);
  }

  /**
   * {@code openClip}'s tensors (open_clip names, as the towers hold them) under transformers' names for {@code family},
   * sorted by name as transformers' {@code save_pretrained} writes them: the inverse of {@link #toOpenClip}, so that a
   * model read from a transformers folder is written back as one ({@code SiglipModel.from_pretrained} loads it).
   */
  static StateDict toTransformers(StateDict openClip, ModelFamily family) throws ModelConfigException {
    boolean siglip = family == ModelFamily.SIGLIP;
    Map<String, TensorData> out = new java.util.TreeMap<>();
    Map<String, TensorData> src = openClip.asMap();
    for (Map.Entry<String, TensorData> e : src.entrySet()) {
      String key = e.getKey();
      TensorData t = e.getValue();
      Matcher packed = PACKED_QKV.matcher(key);
      Matcher pool = POOL_Q_KV.matcher(key);
      if (pool.matches()) {
        if (pool.group(1).equals("q")) {
          TensorData kv = src.get("visual.trunk.attn_pool.kv." + pool.group(2));
          if (kv == null) {
            throw new ModelConfigException(openClip.source() + ": 'visual.trunk.attn_pool.kv." + pool.group(2) + "' is missing");
          }
          out.put("vision_model.head.attention.in_proj_" + pool.group(2), TensorData.concatRows(List.of(t, kv)));
        }
      } else if (packed.matches()) {
        String layer = rename(packed.group(1) + ".", siglip ? SIGLIP_INVERSE : CLIP_INVERSE);
        if (layer == null) {
          throw new ModelConfigException(openClip.source() + ": '" + key + "' has no transformers name");
        }
        long w = t.dim(0) / 3;
        for (int i = 0; i < 3; i++) {
          out.put(layer + "self_attn." + "qkv".charAt(i) + "_proj." + packed.group(3), t.rows(i * w, (i + 1) * w));
        }
      } else if (!siglip && key.equals("visual.proj")) {
        out.put("visual_projection.weight", t.transpose2d());
      } else if (!siglip && key.equals("text_projection")) {
        out.put("text_projection.weight", t.transpose2d());
      } else {
        String target = rename(key, siglip ? SIGLIP_INVERSE : CLIP_INVERSE);
        if (target == null) {
          throw new ModelConfigException(openClip.source() + ": '" + key + "' has no transformers "
              + (siglip ? "SiglipModel" : "CLIPModel") + " name (a ResNet CLIP has no transformers layout)");
        }
        out.put(blockPartBack(target), siglip && (key.equals("logit_scale") || key.equals("logit_bias")) ? t.reshape(1)
            : siglip && key.equals("visual.trunk.pos_embed") ? t.reshape(t.dim(1), t.dim(2)) : t);
      }
    }
    return new StateDict(out, openClip.source());
  }

  /** Inside a block: open_clip's and timm's module names back to transformers'. */
  private static String blockPartBack(String key) {
    if (!key.contains(".encoder.layers.")) {
      return key;
    }
    for (BlockPart p : BLOCK_PARTS) {
      key = key.replace(p.openClip(), p.hf()).replace(p.timm(), p.hf());
    }
    return key;
  }

  /** Inside a block: transformers' module names to open_clip's (text, and CLIP vision) or timm's (SigLIP vision). */
  private static String blockPart(String key, boolean siglip) {
    boolean timm = siglip && key.startsWith("visual.trunk.blocks.");
    if (!key.contains(".resblocks.") && !timm) {
      return key;
    }
    for (BlockPart p : BLOCK_PARTS) {
      key = key.replace(p.hf(), timm ? p.timm() : p.openClip());
    }
    return key;
  }

  private static TensorData reshaped(String key, TensorData t, boolean siglip) {
    if ((key.equals("logit_scale") || key.equals("logit_bias")) && t.numel() == 1) {
      return t.reshape();
    }
    if (siglip && key.equals("visual.trunk.pos_embed") && t.rank() == 2) {
      return t.reshape(1, t.dim(0), t.dim(1));
    }
    return t;
  }

  private static String rename(String key, List<Rename> renames) {
    for (Rename r : renames) {
      Matcher m = r.from.matcher(key);
      if (m.matches()) {
        return m.replaceFirst(r.to);
      }
    }
    return null;
  }

}

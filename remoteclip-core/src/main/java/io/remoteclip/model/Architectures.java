package io.remoteclip.model;

import io.remoteclip.ModelConfigException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Named architectures (open_clip's model configs for the released CLIP and SigLIP sizes) and custom ones written as
 * {@code key=value} lists, e.g. {@code vit:width=256,layers=4,patch=32,image=224,text-width=256,text-layers=4,embed=256}
 * or {@code rn:width=32,layers=1-1-1-1,embed=256}.
 */
public final class Architectures {
  private static final Map<String, ClipConfig> NAMED = new LinkedHashMap<>();

  static {
    TextConfig t512 = new TextConfig(512, 12, 8, 77, 49408);
    NAMED.put("ViT-B-32", new ClipConfig(new VitConfig(768, 12, 12, 32, 224), t512, 512, Activation.QUICK_GELU));
    NAMED.put("ViT-B-16", new ClipConfig(new VitConfig(768, 12, 12, 16, 224), t512, 512, Activation.QUICK_GELU));
    TextConfig t768 = new TextConfig(768, 12, 12, 77, 49408);
    NAMED.put("ViT-L-14", new ClipConfig(new VitConfig(1024, 24, 16, 14, 224), t768, 768, Activation.QUICK_GELU));
    // open_clip's ViT-L-14-336.json: ViT-L-14 at 336 px (OpenAI's ViT-L/14@336px, QuickGELU).
    NAMED.put("ViT-L-14-336", new ClipConfig(new VitConfig(1024, 24, 16, 14, 336), t768, 768, Activation.QUICK_GELU));
    // open_clip's ViT-H-14.json: head_width 80 (16 heads of the 1280-wide tower, not 1280 / 64), a 24-layer
    // 1024-wide text tower, and no quick_gelu: every published ViT-H-14 (LAION, GeoRSCLIP) uses the erf GELU.
    NAMED.put("ViT-H-14", new ClipConfig(new VitConfig(1280, 32, 16, 14, 224), new TextConfig(1024, 24, 16, 77, 49408),
        1024, Activation.GELU));
    NAMED.put("RN50", new ClipConfig(new ResNetConfig(new int[] {3, 4, 6, 3}, 64, 32, 224), t512, 1024, Activation.QUICK_GELU));
    NAMED.put("RN101", new ClipConfig(new ResNetConfig(new int[] {3, 4, 23, 3}, 64, 32, 224), t512, 512, Activation.QUICK_GELU));
    // open_clip's ViT-*-SigLIP configs (timm trunks vit_{base,large,so400m}_patch*_siglip_*); Git-RSCLIP base and
    // large are SigLIP B/16 and L/16 at 256 px
    TextConfig siglipB = new TextConfig(768, 12, 12, 64, 32_000);
    for (int size : new int[] {224, 256, 384, 512}) {
      siglip("ViT-B-16-SigLIP" + (size == 224 ? "" : "-" + size), new SiglipVisionConfig(768, 12, 12, 16, size, 3072), siglipB);
    }
    siglip("ViT-B-16-SigLIP-i18n-256", new SiglipVisionConfig(768, 12, 12, 16, 256, 3072),
        new TextConfig(768, 12, 12, 64, 250_000));
    TextConfig siglipL = new TextConfig(1024, 24, 16, 64, 32_000);
    siglip("ViT-L-16-SigLIP-256", new SiglipVisionConfig(1024, 24, 16, 16, 256, 4096), siglipL);
    siglip("ViT-L-16-SigLIP-384", new SiglipVisionConfig(1024, 24, 16, 16, 384, 4096), siglipL);
    siglip("ViT-SO400M-14-SigLIP", new SiglipVisionConfig(1152, 27, 16, 14, 224, 4304),
        new TextConfig(1152, 27, 16, 16, 32_000, 4304));
    siglip("ViT-SO400M-14-SigLIP-384", new SiglipVisionConfig(1152, 27, 16, 14, 384, 4304),
        new TextConfig(1152, 27, 16, 64, 32_000, 4304));
  }

  private static void siglip(String name, SiglipVisionConfig vision, TextConfig text) {
    NAMED.put(name, new ClipConfig(vision, text, vision.width(), Activation.GELU));
  }

  private Architectures() {}

  public static Iterable<String> names() {
    return NAMED.keySet();
  }

  /**
   * The named architecture these shapes belong to (what a state dict shows: widths, layers, patch, image size,
   * context, embedding), or null. Head counts and activation are not in the shapes; a match
   * supplies open_clip's (ViT-H-14's 16 vision heads are not width / 64).
   */
  public static ClipConfig matching(ClipConfig inferred) {
    String name = nameOf(inferred);
    return name == null ? null : NAMED.get(name);
  }

  /** The name of the named architecture with these shapes (the vocabulary size aside), or null. */
  static String nameOf(ClipConfig c) {
    for (Map.Entry<String, ClipConfig> e : NAMED.entrySet()) {
      if (sameShapes(e.getValue(), c)) {
        return e.getKey();
      }
    }
    return null;
  }

  private static boolean sameShapes(ClipConfig a, ClipConfig b) {
    TextConfig ta = a.text();
    TextConfig tb = b.text();
    // The vocabulary size is left out: parse(name, vocabSize) gives a named architecture any vocabulary.
    boolean text = ta.width() == tb.width() && ta.layers() == tb.layers() && ta.contextLength() == tb.contextLength()
        && a.embedDim() == b.embedDim();
    if (a.vision() instanceof VitConfig va && b.vision() instanceof VitConfig vb) {
      return text && va.width() == vb.width() && va.layers() == vb.layers() && va.patchSize() == vb.patchSize()
          && va.imageSize() == vb.imageSize();
    }
    if (a.vision() instanceof ResNetConfig ra && b.vision() instanceof ResNetConfig rb) {
      return text && ra.width() == rb.width() && java.util.Arrays.equals(ra.layers(), rb.layers())
          && ra.imageSize() == rb.imageSize();
    }
    return false;
  }

  /** A named architecture or a custom spec; {@code vocabSize} overrides the CLIP vocabulary size when > 0. */
  public static ClipConfig parse(String spec, int vocabSize) throws ModelConfigException {
    ClipConfig c = null;
    for (Map.Entry<String, ClipConfig> e : NAMED.entrySet()) {
      if (e.getKey().equalsIgnoreCase(spec) || e.getKey().replace("-", "").equalsIgnoreCase(spec.replace("-", "").replace("/", ""))) {
        c = e.getValue();
      }
    }
    if (c == null) {
      c = parseCustom(spec);
    }
    if (vocabSize > 0 && vocabSize != c.text().vocabSize()) {
      TextConfig t = c.text();
      c = new ClipConfig(c.vision(), new TextConfig(t.width(), t.layers(), t.heads(), t.contextLength(), vocabSize, t.mlpWidth()),
          c.embedDim(), c.activation());
    }
    return c;
  }

  private static ClipConfig parseCustom(String spec) throws ModelConfigException {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? "" : spec.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!kind.equals("vit") && !kind.equals("rn")) {
      throw new ModelConfigException("unknown architecture '" + spec + "'; known: " + String.join(", ", NAMED.keySet())
          + ", or a custom spec such as vit:width=256,layers=4,patch=32,text-width=256,text-layers=4,embed=256");
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : spec.substring(colon + 1).split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] p = part.split("=", 2);
      if (p.length != 2) {
        throw new ModelConfigException("architecture '" + spec + "': expected key=value, got '" + part + "'");
      }
      kv.put(p[0].trim().toLowerCase(Locale.ROOT), p[1].trim());
    }
    try {
      int image = Integer.parseInt(kv.getOrDefault("image", "224"));
      int textWidth = Integer.parseInt(kv.getOrDefault("text-width", "512"));
      int textLayers = Integer.parseInt(kv.getOrDefault("text-layers", "12"));
      int textHeads = Integer.parseInt(kv.getOrDefault("text-heads", String.valueOf(Math.max(1, textWidth / 64))));
      int context = Integer.parseInt(kv.getOrDefault("context", "77"));
      int vocab = Integer.parseInt(kv.getOrDefault("vocab", "49408"));
      int embed = Integer.parseInt(kv.getOrDefault("embed", "512"));
      TextConfig text = new TextConfig(textWidth, textLayers, textHeads, context, vocab);
      VisionConfig vision;
      if (kind.equals("vit")) {
        int width = Integer.parseInt(kv.getOrDefault("width", "768"));
        int heads = Integer.parseInt(kv.getOrDefault("heads", String.valueOf(Math.max(1, width / 64))));
        vision = new VitConfig(width, Integer.parseInt(kv.getOrDefault("layers", "12")), heads,
            Integer.parseInt(kv.getOrDefault("patch", "32")), image);
      } else {
        String[] l = kv.getOrDefault("layers", "3-4-6-3").split("-");
        if (l.length != 4) {
          throw new ModelConfigException("architecture '" + spec + "': rn layers must be four numbers like 3-4-6-3");
        }
        int width = Integer.parseInt(kv.getOrDefault("width", "64"));
        int[] layers = new int[4];
        for (int i = 0; i < 4; i++) {
          layers[i] = Integer.parseInt(l[i]);
        }
        vision = new ResNetConfig(layers, width, Integer.parseInt(kv.getOrDefault("heads", String.valueOf(width * 32 / 64))), image);
      }
      ClipConfig config = new ClipConfig(vision, text, embed, Activation.parse(kv.getOrDefault("activation", "quickgelu")));
      checkSize(spec, kv, config);
      return config;
    } catch (IllegalArgumentException e) {
      throw new ModelConfigException("architecture '" + spec + "': " + e.getMessage());
    }
  }

  /** Largest custom dimension (width, layers, heads, patch, image, context, vocabulary, embedding). */
  static final int MAX_CUSTOM_DIMENSION = 1 << 16;
  /** Largest custom model: 2 billion parameters (8 GB of fp32 weights, about ViT-g), checked before allocating. */
  static final long MAX_CUSTOM_PARAMETERS = 2_000_000_000L;
  private static final java.util.Set<String> NUMERIC_KEYS = java.util.Set.of("image", "width", "layers", "heads", "patch",
      "text-width", "text-layers", "text-heads", "context", "vocab", "embed");

  /** Refuses a spec whose numbers cannot make a model that fits, before any weight is allocated. */
  private static void checkSize(String spec, Map<String, String> kv, ClipConfig c) throws ModelConfigException {
    for (Map.Entry<String, String> e : kv.entrySet()) {
      if (!NUMERIC_KEYS.contains(e.getKey())) {
        continue;
      }
      for (String v : e.getValue().split("-")) {
        int n = Integer.parseInt(v);
        if (n < 1 || n > MAX_CUSTOM_DIMENSION) {
          throw new ModelConfigException("architecture '" + spec + "': " + e.getKey() + "=" + e.getValue()
              + " (each number must be 1.." + MAX_CUSTOM_DIMENSION + ")");
        }
      }
    }
    if (c.vision() instanceof VitConfig v && v.patchSize() > v.imageSize()) {
      throw new ModelConfigException("architecture '" + spec + "': patch " + v.patchSize() + " is larger than image "
          + v.imageSize());
    }
    long params = ClipLayout.expectedShapes(c).values().stream().mapToLong(io.remoteclip.checkpoint.TensorData::numel).sum();
    if (params > MAX_CUSTOM_PARAMETERS) {
      throw new ModelConfigException("architecture '" + spec + "': about " + params / 1_000_000 + " million parameters, "
          + "more than the " + MAX_CUSTOM_PARAMETERS / 1_000_000 + " million a custom model may have");
    }
  }
}

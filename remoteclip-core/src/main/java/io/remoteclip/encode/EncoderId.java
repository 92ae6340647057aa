package io.remoteclip.encode;

import io.remoteclip.image.BandSelection;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.ResizeMode;
import io.remoteclip.model.Activation;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.model.Precision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that decides which embedding an encoder gives an input: the weights, the model family, the MLP activation, the
 * number format, the image preprocessing, the band selection for multi-band rasters and the vocabulary. Two
 * encoders with equal ids give the same rows, so indexes and embedding caches record it and refuse (or
 * ignore) rows made under another id.
 *
 * <p>Stable string form ({@link #toString()}, read back by {@link #parse}):
 * {@code WEIGHTS|activation=A|precision=P|preprocess=SIZE:RESAMPLE:mean=M0,M1,M2:std=S0,S1,S2[:squash]|bands=SPEC|vocab=V},
 * with {@code bands=none} and {@code vocab=none} when there is no band selection or vocabulary, then
 * {@code |family=siglip} for a SigLIP (nothing for CLIP, so the ids of indexes written before SigLIP stay as they were).
 *
 * @param weights the weights' identity ({@code name@sha256:…} or {@code path@size:mtime}, see
 *     {@link io.remoteclip.hub.ResolvedModel#modelId()})
 * @param activation {@link Activation#cliName()}
 * @param precision {@link Precision#cliName()}
 * @param preprocess {@code SIZE:RESAMPLE:mean=…:std=…} (see {@link #preprocess(PreprocessConfig)})
 * @param bands a {@link BandSelection}'s string form, or {@code "none"}
 * @param vocab {@code sha256:<16 hex>} of the vocabulary file, or {@code "none"}
 * @param family {@link ModelFamily#cliName()}: a SigLIP's embeddings and scores mean something else than a CLIP's
 */
public record EncoderId(String weights, String activation, String precision, String preprocess, String bands,
    String vocab, String family) {
  private static final String[] KEYS = {"activation", "precision", "preprocess", "bands", "vocab"};
  public static final String NONE = "none";

  public EncoderId {
    Objects.requireNonNull(weights, "weights");
    activation = Objects.requireNonNull(activation, "activation");
    precision = Objects.requireNonNull(precision, "precision");
    preprocess = Objects.requireNonNull(preprocess, "preprocess");
    bands = bands == null || bands.isBlank() ? NONE : bands;
    vocab = vocab == null || vocab.isBlank() ? NONE : vocab;
    family = family == null || family.isBlank() ? ModelFamily.CLIP.cliName() : family;
    for (String v : List.of(activation, precision, preprocess, bands, vocab, family)) {
      if (v.contains("|")) {
        throw new IllegalArgumentException("encoder id field contains '|': " + v);
      }
    }
  }

  /** A CLIP's id (the form every id had before SigLIP). */
  public EncoderId(String weights, String activation, String precision, String preprocess, String bands, String vocab) {
    this(weights, activation, precision, preprocess, bands, vocab, null);
  }

  /** The id of an encoder from its parts ({@code bands} and {@code vocabSha256} may be null). */
  public static EncoderId of(String weights, Activation activation, Precision precision, PreprocessConfig preprocess,
      BandSelection bands, String vocabSha256) {
    return of(weights, activation, precision.cliName(), preprocess, bands, vocabSha256);
  }

  /** As above with the number format by name ({@code fp32}, {@code bf16}, or another engine's, e.g. {@code int8}). */
  public static EncoderId of(String weights, Activation activation, String precision, PreprocessConfig preprocess,
      BandSelection bands, String vocabSha256) {
    return new EncoderId(weights, activation.cliName(), precision, preprocess(preprocess),
        bands == null ? NONE : bands.toString(),
        vocabSha256 == null ? NONE : "sha256:" + vocabSha256.substring(0, Math.min(16, vocabSha256.length())));
  }

  /**
   * {@code SIZE:RESAMPLE:mean=…:std=…}, numbers as Java prints floats (exact round trip), then {@code :squash} for
   * SigLIP's resize (nothing for CLIP's shorter side and crop, so earlier ids stay as they were).
   */
  public static String preprocess(PreprocessConfig p) {
    return p.imageSize() + ":" + p.resample().name().toLowerCase(Locale.ROOT) + ":mean=" + floats(p.mean()) + ":std="
        + floats(p.std()) + (p.resizeMode() == ResizeMode.SHORTEST ? "" : ":" + p.resizeMode().openClipName());
  }

  private static String floats(float[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.toString();
  }

  /** Reads {@link #toString()}'s form back. */
  public static EncoderId parse(String text) {
    int at = text.lastIndexOf("|activation=");
    if (at < 0) {
      throw new IllegalArgumentException("not an encoder id (no |activation=): " + text);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : text.substring(at + 1).split("\\|", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not an encoder id (field without '='): " + text);
      }
      fields.put(part.substring(0, eq), part.substring(eq + 1));
    }
    for (String k : KEYS) {
      if (!fields.containsKey(k)) {
        throw new IllegalArgumentException("not an encoder id (no " + k + "=): " + text);
      }
    }
    return new EncoderId(text.substring(0, at), fields.get("activation"), fields.get("precision"),
        fields.get("preprocess"), fields.get("bands"), fields.get("vocab"), fields.get("family"));
  }

  /** True for strings {@link #parse} reads (ids written before this type existed are not). */
  public static boolean isEncoderId(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The identity of the model alone as indexes of format 1 recorded it ({@code weights#activation}, plus
   * {@code #precision} when not fp32): what an older index can still be compared on.
   */
  public String legacyModelId() {
    return weights + "#" + activation + (precision.equals(Precision.FP32.cliName()) ? "" : "#" + precision);
  }

  /** This id with another band selection (null: none). */
  public EncoderId withBands(BandSelection b) {
    return new EncoderId(weights, activation, precision, preprocess, b == null ? NONE : b.toString(), vocab, family);
  }

  /** This id for a model of {@code f}. */
  public EncoderId withFamily(ModelFamily f) {
    return new EncoderId(weights, activation, precision, preprocess, bands, vocab, f.cliName());
  }

  /** The fields that differ, as {@code name this vs other} (empty when equal), for one-line messages. */
  public List<String> differences(EncoderId other) {
    List<String> out = new ArrayList<>();
    diff(out, "family", family, other.family);
    diff(out, "weights", weights, other.weights);
    diff(out, "activation", activation, other.activation);
    diff(out, "precision", precision, other.precision);
    diff(out, "preprocess", preprocess, other.preprocess);
    diff(out, "bands", bands, other.bands);
    diff(out, "vocab", vocab, other.vocab);
    return out;
  }

  private static void diff(List<String> out, String name, String a, String b) {
    if (!a.equals(b)) {
      out.add(name + " " + a + " vs " + b);
    }
  }

  @Override
  public String toString() {
    return weights + "|activation=" + activation + "|precision=" + precision + "|preprocess=" + preprocess + "|bands="
        + bands + "|vocab=" + vocab + (family.equals(ModelFamily.CLIP.cliName()) ? "" : "|family=" + family);
  }
}

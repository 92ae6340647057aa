package io.remoteclip.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * transformers' {@code SiglipTokenizer} (the sentencepiece-backed one Hugging Face SigLIP directories such as
 * Git-RSCLIP load), rule for rule:
 * <ol>
 *   <li>the text gets a leading "▁" (any "▁" in it becomes a space) and is split at the special tokens
 *       ({@code </s>}, {@code <unk>}, which also eat the whitespace beside them);
 *   <li>each other part is canonicalized: lower case (with {@code do_lower_case}), ASCII punctuation deleted
 *       ("_" included), whitespace runs to one space, stripped; no ftfy, no HTML unescaping;
 *   <li>it is encoded by sentencepiece as {@code "<unk>" + part}, and the pieces of {@code "<unk>"} alone are
 *       dropped from the front; unknown characters become byte pieces (byte fallback). The model keeps its own
 *       {@code add_dummy_prefix} (transformers 5, whose {@code legacy} defaults to true) unless the config says
 *       {@code "legacy": false}. The prefix changes no piece of the part itself, but it adds a node before the
 *       lattice, so float rounding can break ties between equally likely segmentations differently;
 *   <li>a leading "▁" directly before a special token is dropped; the ids are cut to {@code length − 1}, get
 *       {@code </s>} unless they already end with it, and are padded with the pad id ({@code </s>}).
 * </ol>
 * Immutable and thread-safe.
 */
public final class SiglipTokenizer implements TextTokenizer {
  public static final int DEFAULT_CONTEXT_LENGTH = 64;
  private static final String SPIECE_UNDERLINE = "\u2581";

  private final SentencePieceEncoder encoder;
  private final List<UnigramPipeline.AddedToken> specials;
  private final int eosId;
  private final int padId;
  private final String unkToken;
  private final int unkLength;
  private final boolean lowerCase;
  private final boolean attentionMask;
  private final int contextLength;

  private SiglipTokenizer(SentencePieceEncoder encoder, List<UnigramPipeline.AddedToken> specials, int eosId,
      int padId, String unkToken, boolean lowerCase, boolean attentionMask, int contextLength) {
    this.encoder = encoder;
    this.specials = List.copyOf(specials);
    this.eosId = eosId;
    this.padId = padId;
    this.unkToken = unkToken;
    this.unkLength = encoder.encode(unkToken).length;
    this.lowerCase = lowerCase;
    this.attentionMask = attentionMask;
    this.contextLength = contextLength;
  }

  private SiglipTokenizer(SiglipTokenizer other, int contextLength) {
    this.encoder = other.encoder;
    this.specials = other.specials;
    this.eosId = other.eosId;
    this.padId = other.padId;
    this.unkToken = other.unkToken;
    this.unkLength = other.unkLength;
    this.lowerCase = other.lowerCase;
    this.attentionMask = other.attentionMask;
    this.contextLength = contextLength;
  }

  /**
   * The tokenizer of a SentencePiece model with transformers' defaults ({@code </s>} end and pad, {@code <unk>},
   * lower case, 64 tokens, an attention mask).
   */
  public static SiglipTokenizer load(Path spieceModel) throws ModelNotFoundException, DataFormatException {
    return load(spieceModel, null);
  }

  /**
   * The tokenizer of a SentencePiece model configured by a {@code tokenizer_config.json} (null: defaults): its
   * {@code eos_token}, {@code unk_token}, {@code pad_token}, {@code additional_special_tokens}, {@code
   * do_lower_case}, {@code model_max_length} and {@code model_input_names}.
   */
  public static SiglipTokenizer load(Path spieceModel, Path tokenizerConfig)
      throws ModelNotFoundException, DataFormatException {
    SentencePieceModel model = SentencePieceModel.read(spieceModel);
    TokenizerConfig config = tokenizerConfig == null ? null : TokenizerConfig.read(tokenizerConfig);
    String eos = TokenizerConfig.token(config, "eos_token", "</s>");
    String unk = TokenizerConfig.token(config, "unk_token", "<unk>");
    String pad = TokenizerConfig.token(config, "pad_token", "</s>");
    List<String> names = new ArrayList<>(List.of(eos, unk, pad));
    JsonNode json = config == null ? null : config.json();
    if (json != null && json.path("additional_special_tokens").isArray()) {
      for (JsonNode t : json.get("additional_special_tokens")) {
        names.add(t.isObject() ? t.path("content").asText() : t.asText());
      }
    }
    List<UnigramPipeline.AddedToken> specials = new ArrayList<>();
    for (String name : names) {
      int id = model.idOf(name);
      if (id < 0) {
        throw new DataFormatException((tokenizerConfig == null ? spieceModel : tokenizerConfig)
            + ": special token " + name + " is not a piece of " + spieceModel);
      }
      if (specials.stream().noneMatch(s -> s.content().equals(name))) {
        // SiglipTokenizer makes its special tokens AddedToken(lstrip=True, rstrip=True).
        specials.add(new UnigramPipeline.AddedToken(name, id, true, true, false));
      }
    }
    boolean lower = json == null || json.path("do_lower_case").asBoolean(true);
    boolean mask = true;
    if (json != null && json.path("model_input_names").isArray()) {
      mask = false;
      for (JsonNode n : json.get("model_input_names")) {
        mask |= n.asText().equals("attention_mask");
      }
    }
    // transformers 5.17's SentencePieceBackend loads the model as it is unless the config says "legacy": false.
    boolean legacy = json == null || json.path("legacy").asBoolean(true);
    boolean dummyPrefix = legacy && model.addDummyPrefix();
    return new SiglipTokenizer(new SentencePieceEncoder(model, dummyPrefix), specials, model.idOf(eos),
        model.idOf(pad), unk, lower, mask, TokenizerConfig.maxLength(config, DEFAULT_CONTEXT_LENGTH));
  }

  /**
   * Whether transformers gives the model an attention mask with these ids ({@code model_input_names} of the
   * config; Git-RSCLIP and google/siglip-* say no, so the text tower attends to the padding too).
   */
  public boolean attentionMask() {
    return attentionMask;
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  @Override
  public SiglipTokenizer withContextLength(int length) {
    PaddedRows.checkLength(length);
    return new SiglipTokenizer(this, length);
  }

  @Override
  public int vocabSize() {
    return encoder.model().size();
  }

  @Override
  public int specialTokensPerRow() {
    return 1;
  }

  /** The canonicalized text a part goes to sentencepiece as (without the {@code <unk>} prefix). */
  String canonicalize(String text) {
    String s = lowerCase ? text.toLowerCase(Locale.ROOT) : text;
    return TextCleaner.pythonStrip(collapseWhitespace(OpenClipCleaning.deletePunctuation(s)));
  }

  /** {@code re.sub(r"\s+", " ", text)} with Python's Unicode whitespace. */
  private static String collapseWhitespace(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean inSpace = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (TextCleaner.isPythonSpace(c)) {
        if (!inSpace) {
          out.append(' ');
        }
        inSpace = true;
      } else {
        out.append(c);
        inSpace = false;
      }
    }
    return out.toString();
  }

  @Override
  public int[] encode(String text) {
    String prefixed = SPIECE_UNDERLINE + text.replace(SPIECE_UNDERLINE, " ");
    List<Object> parts = UnigramPipeline.split(prefixed, specials, cp -> cp < 0x10000 && TextCleaner.isPythonSpace((char) cp));
    UnigramPipeline.IdList ids = new UnigramPipeline.IdList();
    boolean firstIsUnderline = false;
    boolean secondIsSpecial = false;
    for (Object part : parts) {
      if (part instanceof UnigramPipeline.AddedToken t) {
        if (ids.size == 1 && firstIsUnderline) {
          secondIsSpecial = true;
        }
        ids.add(t.id());
        continue;
      }
      int[] all = encoder.encode(unkToken + canonicalize((String) part));
      for (int i = all.length >= unkLength ? unkLength : 0; i < all.length; i++) {
        if (ids.size == 0) {
          firstIsUnderline = encoder.model().piece(all[i]).equals(SPIECE_UNDERLINE);
        }
        ids.add(all[i]);
      }
    }
    int[] out = ids.toArray();
    if (out.length > 1 && firstIsUnderline && secondIsSpecial) {
      return java.util.Arrays.copyOfRange(out, 1, out.length);
    }
    return out;
  }

  @Override
  public long[][] tokenize(List<String> texts, int length) {
    PaddedRows.checkLength(length);
    long[][] rows = new long[texts.size()][];
    for (int r = 0; r < rows.length; r++) {
      int[] ids = encode(texts.get(r));
      int n = Math.min(ids.length, length - 1);
      boolean endsWithEos = n > 0 && ids[n - 1] == eosId;
      rows[r] = PaddedRows.frame(new int[0], java.util.Arrays.copyOf(ids, n),
          endsWithEos ? new int[0] : new int[] {eosId}, length, padId);
    }
    return rows;
  }
}

package io.remoteclip.tokenizer;

import io.remoteclip.tokenizer.SentencePieceModel.PieceType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A Hugging Face {@code tokenizers} pipeline with a Unigram model, as a {@code tokenizer.json} describes it or as
 * transformers builds it from a {@code spiece.model} for T5 ({@link #fromSentencePiece}): split off added tokens,
 * normalize the rest, pre-tokenize (whitespace split, Metaspace "▁" words), encode each word with the Unigram
 * model, and give the ids the post-processor puts around them.
 *
 * <p>The Unigram search is {@code Unigram::encode_optimized}: like sentencepiece's but with float64 scores, every
 * vocabulary entry matchable (special and byte pieces included), the unknown score {@code min(all scores) − 10},
 * and runs of unknown characters fused into one {@code <unk>} (or spelled in byte pieces with byte fallback).
 * Immutable and thread-safe.
 */
final class UnigramPipeline {
  /** An added token of {@code tokenizer.json}: matched in the text before (or, when normalized, after) normalizing. */
  record AddedToken(String content, int id, boolean lstrip, boolean rstrip, boolean normalized) {}

  /** Metaspace's {@code prepend_scheme}. */
  enum Prepend { ALWAYS, FIRST, NEVER }

  private static final double UNK_PENALTY = 10.0;

  private final List<AddedToken> rawTokens = new ArrayList<>();
  private final List<AddedToken> normalizedTokens = new ArrayList<>();
  private final UnaryOperator<String> normalizer;
  private final boolean whitespaceSplit;
  private final Character metaspace;
  private final Prepend prepend;
  private final boolean metaspaceSplit;
  private final String[] vocab;
  private final double[] scores;
  private final ByteTrie trie = new ByteTrie();
  private final double minScore;
  private final int unkId;
  private final boolean byteFallback;
  private final int[] byteIds = new int[256];
  private final int[] prefixIds;
  private final int[] suffixIds;

  UnigramPipeline(List<AddedToken> added, UnaryOperator<String> normalizer, boolean whitespaceSplit,
      Character metaspace, Prepend prepend, boolean metaspaceSplit, String[] vocab, double[] scores, int unkId,
      boolean byteFallback, int[] prefixIds, int[] suffixIds) {
    for (AddedToken t : added) {
      (t.normalized() ? normalizedTokens : rawTokens).add(t);
    }
    this.normalizer = normalizer;
    this.whitespaceSplit = whitespaceSplit;
    this.metaspace = metaspace;
    this.prepend = prepend;
    this.metaspaceSplit = metaspaceSplit;
    this.vocab = vocab;
    this.scores = scores;
    this.unkId = unkId;
    this.byteFallback = byteFallback;
    this.prefixIds = prefixIds.clone();
    this.suffixIds = suffixIds.clone();
    double min = Double.POSITIVE_INFINITY;
    Map<String, Integer> ids = new HashMap<>(vocab.length * 2);
    for (int i = 0; i < vocab.length; i++) {
      ids.put(vocab[i], i);
      min = Math.min(min, scores[i]);
    }
    // token_to_ids keeps the last id of a repeated piece, and the trie answers with it.
    ids.forEach((piece, id) -> trie.add(piece, id));
    minScore = min;
    Arrays.fill(byteIds, -1);
    for (int b = 0; b < 256; b++) {
      Integer id = ids.get(String.format("<0x%02X>", b));
      byteIds[b] = id == null ? -1 : id;
    }
  }

  /**
   * What transformers 5's {@code T5Tokenizer} builds from a SentencePiece model: added special tokens for the
   * control and unknown pieces, the model's character map as a {@code Precompiled} normalizer, WhitespaceSplit
   * + Metaspace("▁", always, split), Unigram over all pieces with byte fallback off, and {@code $A </s>}.
   */
  static UnigramPipeline fromSentencePiece(SentencePieceModel model, int eosId) {
    List<AddedToken> added = new ArrayList<>();
    String[] vocab = new String[model.size()];
    double[] scores = new double[model.size()];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = model.piece(i);
      scores[i] = model.score(i);
      PieceType t = model.type(i);
      if (t == PieceType.CONTROL || t == PieceType.UNKNOWN) {
        added.add(new AddedToken(vocab[i], i, false, false, false));
      }
    }
    UnaryOperator<String> normalizer = model.charsMap().length == 0 ? UnaryOperator.identity()
        : new PrecompiledNormalizer(CharsMap.parse(model.charsMap()))::normalize;
    return new UnigramPipeline(added, normalizer, true, '\u2581', Prepend.ALWAYS, true, vocab, scores,
        model.unkId(), false, new int[0], eosId < 0 ? new int[0] : new int[] {eosId});
  }

  /** Ids the pipeline can give: the vocabulary, and added tokens beyond it. */
  int vocabSize() {
    int size = vocab.length;
    for (AddedToken t : rawTokens) {
      size = Math.max(size, t.id() + 1);
    }
    for (AddedToken t : normalizedTokens) {
      size = Math.max(size, t.id() + 1);
    }
    return size;
  }

  String piece(int id) {
    return vocab[id];
  }

  /** Id of a vocabulary piece, or -1. */
  int idOf(String piece) {
    byte[] b = Utf8.encode(piece);
    return trie.lookup(b, 0, b.length);
  }

  /** Ids the post-processor puts before the text's ids. */
  int[] prefixIds() {
    return prefixIds.clone();
  }

  /** Ids the post-processor puts after the text's ids. */
  int[] suffixIds() {
    return suffixIds.clone();
  }

  /** The text's ids, without the post-processor's. */
  int[] encode(String text) {
    IdList out = new IdList();
    List<Object> raw = split(text, rawTokens);
    boolean first = true;
    for (Object part : raw) {
      if (part instanceof AddedToken t) {
        out.add(t.id());
        first = false;
        continue;
      }
      String normalized = normalizer.apply((String) part);
      for (Object sub : split(normalized, normalizedTokens)) {
        if (sub instanceof AddedToken t) {
          out.add(t.id());
        } else {
          for (String word : preTokenize((String) sub, first)) {
            encodeWord(word, out);
          }
        }
        first = false;
      }
    }
    return out.toArray();
  }

  /**
   * The text cut around the added tokens (leftmost, then longest match), with the whitespace next to a token
   * that strips it removed; parts are Strings or AddedTokens, no empty strings.
   */
  static List<Object> split(String text, List<AddedToken> tokens) {
    return split(text, tokens, UnigramPipeline::isWhitespace);
  }

  /** {@link #split(String, List)} with {@code space} telling what lstrip and rstrip remove. */
  static List<Object> split(String text, List<AddedToken> tokens, java.util.function.IntPredicate space) {
    List<Object> parts = new ArrayList<>();
    if (tokens.isEmpty()) {
      if (!text.isEmpty()) {
        parts.add(text);
      }
      return parts;
    }
    int last = 0;
    int i = 0;
    while (i < text.length()) {
      AddedToken match = null;
      for (AddedToken t : tokens) {
        if (text.startsWith(t.content(), i) && (match == null || t.content().length() > match.content().length())) {
          match = t;
        }
      }
      if (match == null) {
        i++;
        continue;
      }
      int start = i;
      int end = i + match.content().length();
      if (match.lstrip()) {
        while (start > last && space.test(text.codePointBefore(start))) {
          start -= Character.charCount(text.codePointBefore(start));
        }
      }
      if (match.rstrip()) {
        while (end < text.length() && space.test(text.codePointAt(end))) {
          end += Character.charCount(text.codePointAt(end));
        }
      }
      if (start > last) {
        parts.add(text.substring(last, start));
      }
      parts.add(match);
      last = end;
      i = end;
    }
    if (last < text.length()) {
      parts.add(text.substring(last));
    }
    return parts;
  }

  private List<String> preTokenize(String text, boolean firstSegment) {
    List<String> words = new ArrayList<>();
    if (whitespaceSplit) {
      int i = 0;
      while (i < text.length()) {
        while (i < text.length() && isWhitespace(text.codePointAt(i))) {
          i += Character.charCount(text.codePointAt(i));
        }
        int start = i;
        while (i < text.length() && !isWhitespace(text.codePointAt(i))) {
          i += Character.charCount(text.codePointAt(i));
        }
        if (i > start) {
          words.add(text.substring(start, i));
        }
      }
    } else if (!text.isEmpty()) {
      words.add(text);
    }
    if (metaspace == null) {
      return words;
    }
    List<String> out = new ArrayList<>();
    char rep = metaspace;
    for (int w = 0; w < words.size(); w++) {
      String word = words.get(w).replace(' ', rep);
      boolean atStart = firstSegment && w == 0 && (!whitespaceSplit || text.startsWith(words.get(0)));
      if (word.charAt(0) != rep && (prepend == Prepend.ALWAYS || prepend == Prepend.FIRST && atStart)) {
        word = rep + word;
      }
      if (!metaspaceSplit) {
        out.add(word);
        continue;
      }
      // MergedWithNext: every "▁" starts a piece that runs to the next one.
      int start = 0;
      for (int i = 1; i <= word.length(); i++) {
        if (i == word.length() || word.charAt(i) == rep) {
          out.add(word.substring(start, i));
          start = i;
        }
      }
    }
    return out;
  }

  /** {@code encode_optimized} on one word, then the ids of its pieces. */
  private void encodeWord(String word, IdList out) {
    byte[] s = Utf8.encode(word);
    int n = s.length;
    double[] best = new double[n + 1];
    int[] startsAt = new int[n + 1];
    int[] ids = new int[n + 1];
    Arrays.fill(startsAt, -1);
    double unkScore = minScore - UNK_PENALTY;
    int start = 0;
    while (start < n) {
      double tillHere = best[start];
      boolean hasSingleNode = false;
      int charLen = Math.min(Utf8.charLength(s[start]), n - start);
      int node = ByteTrie.ROOT;
      for (int end = start + 1; end <= n; end++) {
        node = trie.child(node, s[end - 1] & 0xFF);
        if (node < 0) {
          break;
        }
        int id = trie.value(node);
        if (id < 0) {
          continue;
        }
        double candidate = scores[id] + tillHere;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          ids[end] = id;
        }
        if (end - start == charLen) {
          hasSingleNode = true;
        }
      }
      if (!hasSingleNode) {
        int end = start + charLen;
        double candidate = unkScore + tillHere;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          ids[end] = unkId;
        }
      }
      start += charLen;
    }
    IdList reversed = new IdList();
    int unkEnd = -1;
    for (int end = n; end > 0; end = startsAt[end]) {
      // As in tokenizers, any node with the unknown id is fused, a literal "<unk>" matched in the text too.
      if (ids[end] == unkId) {
        if (unkEnd < 0) {
          unkEnd = end;
        }
        if (startsAt[end] == 0 || ids[startsAt[end]] != unkId) {
          addUnknown(s, startsAt[end], unkEnd, reversed);
          unkEnd = -1;
        }
      } else {
        reversed.add(ids[end]);
      }
    }
    for (int i = reversed.size - 1; i >= 0; i--) {
      out.add(reversed.data[i]);
    }
  }

  /** A fused run of unknown characters, appended reversed: byte pieces with byte fallback, else one unk id. */
  private void addUnknown(byte[] s, int from, int to, IdList reversed) {
    int known = trie.lookup(s, from, to);
    if (known >= 0) {
      reversed.add(known);
      return;
    }
    if (byteFallback) {
      boolean all = true;
      for (int i = from; i < to; i++) {
        all &= byteIds[s[i] & 0xFF] >= 0;
      }
      if (all) {
        for (int i = to - 1; i >= from; i--) {
          reversed.add(byteIds[s[i] & 0xFF]);
        }
        return;
      }
    }
    reversed.add(unkId);
  }

  /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  /** Growable int array. */
  static final class IdList {
    int[] data = new int[16];
    int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}

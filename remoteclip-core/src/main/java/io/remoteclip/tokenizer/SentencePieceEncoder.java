package io.remoteclip.tokenizer;

import io.remoteclip.tokenizer.SentencePieceModel.PieceType;
import java.util.Arrays;

/**
 * Google's sentencepiece library encoding text to ids with a unigram model ({@code
 * SentencePieceProcessor::Encode}): normalize ({@link SentencePieceNormalizer}), find the best segmentation with
 * {@code unigram::Model::EncodeOptimized}, then split each unknown piece into its UTF-8 bytes when the model has
 * byte fallback, or merge runs of unknown pieces into one {@code <unk>} when it has not.
 *
 * <p>The Viterbi search is reproduced to the bit, because ties between equally likely segmentations (a long run
 * of one letter) are decided by rounding. A candidate is the piece's float32 score plus the float32 best score
 * where it starts; it replaces the best path ending at a position only when strictly better, and candidates
 * arrive by start position, shorter pieces first. How the sum is rounded depends on the library's version
 * ({@link Arithmetic}): sentencepiece 0.2.2 rounds it to float32 before comparing, 0.1.97 to 0.2.0 compare it in
 * double. Control, unknown and byte pieces are never matched in text; unused pieces are skipped; user-defined
 * pieces score {@code length · max_score − 0.1}; an unknown character scores {@code min_score − 10}. Immutable
 * and thread-safe.
 */
final class SentencePieceEncoder {
  private static final float UNK_PENALTY = 10.0f;

  /** How a candidate path score is rounded before it is compared with the best one so far. */
  enum Arithmetic {
    /**
     * sentencepiece 0.2.2 (the golden fixture's, and what pip installs today): the sum is a float32, so two
     * equally likely paths that differ only in rounding compare equal and the first one found stays. Found by
     * probing the 0.2.2 library: this rule reproduces it on every tie tried, the double rule does not.
     */
    FLOAT,
    /**
     * sentencepiece 0.1.97 to 0.2.0 (Debian's python3-sentencepiece): {@code cond ? length * max_score - 0.1 :
     * score} is a double in C++, so the sum is compared in double and only the kept one is rounded to float.
     */
    DOUBLE
  }

  private final SentencePieceModel model;
  private final SentencePieceNormalizer normalizer;
  private final ByteTrie trie = new ByteTrie();
  private final float minScore;
  private final float maxScore;
  private final int[] byteIds;
  private final Arithmetic arithmetic;

  /**
   * An encoder with the model's own normalizer options, except {@code add_dummy_prefix} as given, that breaks
   * ties as sentencepiece 0.2.2 does.
   */
  SentencePieceEncoder(SentencePieceModel model, boolean addDummyPrefix) {
    this(model, addDummyPrefix, Arithmetic.FLOAT);
  }

  SentencePieceEncoder(SentencePieceModel model, boolean addDummyPrefix, Arithmetic arithmetic) {
    this.model = model;
    this.arithmetic = arithmetic;
    ByteTrie userDefined = null;
    float min = Float.MAX_VALUE;
    // sentencepiece starts from FLT_MIN, the smallest positive float, not from -FLT_MAX.
    float max = Float.MIN_NORMAL;
    byteIds = new int[256];
    Arrays.fill(byteIds, -1);
    for (int id = 0; id < model.size(); id++) {
      PieceType t = model.type(id);
      if (t == PieceType.NORMAL) {
        min = Math.min(min, model.score(id));
        max = Math.max(max, model.score(id));
      }
      if (t == PieceType.NORMAL || t == PieceType.USER_DEFINED || t == PieceType.UNUSED) {
        trie.add(model.piece(id), id);
      }
      if (t == PieceType.USER_DEFINED) {
        if (userDefined == null) {
          userDefined = new ByteTrie();
        }
        userDefined.add(model.piece(id), id);
      }
      if (t == PieceType.BYTE) {
        byteIds[SentencePieceModel.byteOfPiece(model.piece(id))] = id;
      }
    }
    minScore = min;
    maxScore = max;
    normalizer = new SentencePieceNormalizer(model, userDefined, addDummyPrefix);
  }

  SentencePieceModel model() {
    return model;
  }

  /** The ids {@code SentencePieceProcessor.encode(text)} returns. */
  int[] encode(String text) {
    byte[] normalized = normalizer.normalize(Utf8.encode(text));
    int n = normalized.length;
    if (n == 0) {
      return new int[0];
    }
    float[] best = new float[n + 1];
    int[] startsAt = new int[n + 1];
    int[] ids = new int[n + 1];
    Arrays.fill(startsAt, -1);
    float unkScore = minScore - UNK_PENALTY;
    int unkId = model.unkId();
    int start = 0;
    while (start < n) {
      float tillHere = best[start];
      boolean hasSingleNode = false;
      int charLen = Math.min(Utf8.charLength(normalized[start]), n - start);
      int node = ByteTrie.ROOT;
      for (int end = start + 1; end <= n; end++) {
        node = trie.child(node, normalized[end - 1] & 0xFF);
        if (node < 0) {
          break;
        }
        int id = trie.value(node);
        if (id < 0 || model.type(id) == PieceType.UNUSED) {
          continue;
        }
        int length = end - start;
        double score = model.type(id) == PieceType.USER_DEFINED ? (float) length * maxScore - 0.1 : model.score(id);
        double sum = score + tillHere;
        double candidate = arithmetic == Arithmetic.FLOAT ? (float) sum : sum;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = (float) candidate;
          startsAt[end] = start;
          ids[end] = id;
        }
        if (length == charLen) {
          hasSingleNode = true;
        }
      }
      if (!hasSingleNode) {
        int end = start + charLen;
        float candidate = unkScore + tillHere;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          ids[end] = unkId;
        }
      }
      start += charLen;
    }
    int count = 0;
    for (int end = n; end > 0; end = startsAt[end]) {
      count++;
    }
    int[] pieceEnds = new int[count];
    for (int end = n, k = count - 1; end > 0; end = startsAt[end], k--) {
      pieceEnds[k] = end;
    }
    return expandUnknowns(normalized, pieceEnds, startsAt, ids);
  }

  /** {@code PopulateSentencePieceText}: byte pieces for unknowns with byte fallback, else one id per unknown run. */
  private int[] expandUnknowns(byte[] normalized, int[] pieceEnds, int[] startsAt, int[] ids) {
    int[] out = new int[normalized.length];
    int size = 0;
    boolean prevUnk = false;
    for (int end : pieceEnds) {
      int id = ids[end];
      boolean unk = id == model.unkId();
      if (unk && model.byteFallback()) {
        for (int i = startsAt[end]; i < end; i++) {
          out[size++] = byteIds[normalized[i] & 0xFF];
        }
      } else if (!(unk && prevUnk)) {
        out[size++] = id;
      }
      prevUnk = unk;
    }
    return Arrays.copyOf(out, size);
  }
}

package io.remoteclip.tokenizer;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI CLIP's tokenizer as open_clip 2.20 runs it ({@code open_clip.tokenize}): clean the text ({@link
 * TextCleaner}), split it into pieces, BPE-encode each piece, and frame the ids as {@code [<start_of_text>]
 * + ids + [<end_of_text>]} in rows of {@link #contextLength()} (77), zero-padded; longer rows are cut and
 * their last position set to {@code <end_of_text>}.
 *
 * <p>The literal strings {@code <start_of_text>} and {@code <end_of_text>} in a text become the special ids,
 * as in open_clip. Immutable and thread-safe; {@link #load} reads a vocabulary file (see the package
 * documentation for the format).
 */
public final class ClipTokenizer implements TextTokenizer {
  public static final int DEFAULT_CONTEXT_LENGTH = 77;
  public static final String START_OF_TEXT = "<start_of_text>";
  public static final String END_OF_TEXT = "<end_of_text>";

  /** open_clip's pre-tokenisation; the input is already lower-case, case-insensitivity only matters for 's etc. */
  private static final Pattern PIECES = Pattern.compile(
      "(?iu:<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d)|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
      Pattern.UNICODE_CHARACTER_CLASS);

  /** The pre-tokenisation pattern, shared with {@link BpeTrainer}. */
  static Pattern piecePattern() {
    return PIECES;
  }

  private final String[] vocab;
  private final BytePairEncoder bpe;
  private final int startId;
  private final int endId;
  /**
   * Longest row {@link #tokenize(List, int)} makes: far above any CLIP text tower (77; long-context variants a
   * few hundred), low enough that a mistyped length is refused instead of allocating gigabytes per text.
   */
  public static final int MAX_CONTEXT_LENGTH = 8192;

  private final int contextLength;

  private ClipTokenizer(List<String[]> merges, int contextLength) {
    List<String> v = new ArrayList<>(512 + merges.size() + 2);
    for (int i = 0; i < 256; i++) {
      v.add(String.valueOf(ByteSymbols.CHAR_OF_BYTE[ByteSymbols.ORDER[i]]));
    }
    for (int i = 0; i < 256; i++) {
      v.add(v.get(i) + "</w>");
    }
    for (String[] m : merges) {
      v.add(m[0] + m[1]);
    }
    v.add(START_OF_TEXT);
    v.add(END_OF_TEXT);
    vocab = v.toArray(new String[0]);
    Map<String, Integer> encoder = new HashMap<>(vocab.length * 2);
    for (int i = 0; i < vocab.length; i++) {
      encoder.put(vocab[i], i);
    }
    startId = vocab.length - 2;
    endId = vocab.length - 1;
    bpe = new BytePairEncoder(merges, encoder);
    this.contextLength = contextLength;
  }

  /**
   * Loads a vocabulary file with up to {@link BpeMerges#CLIP_MERGES} merges (all of a trained file; the
   * first 48894 of OpenAI's {@code bpe_simple_vocab_16e6}, as open_clip does).
   *
   * @throws ModelNotFoundException if the file does not exist
   * @throws DataFormatException if it is not a readable vocabulary file
   */
  public static ClipTokenizer load(Path vocabFile) throws ModelNotFoundException, DataFormatException {
    return new ClipTokenizer(BpeMerges.read(vocabFile, BpeMerges.CLIP_MERGES), DEFAULT_CONTEXT_LENGTH);
  }

  /** A tokenizer from a merge list in rank order (each {@code {first, second}}). */
  public static ClipTokenizer fromMerges(List<String[]> merges) {
    return new ClipTokenizer(merges, DEFAULT_CONTEXT_LENGTH);
  }

  /** The same vocabulary with another row length for {@link #tokenize(List)}. */
  @Override
  public ClipTokenizer withContextLength(int length) {
    if (length < 2 || length > MAX_CONTEXT_LENGTH) {
      throw new IllegalArgumentException("context length must be 2.." + MAX_CONTEXT_LENGTH + ", got " + length);
    }
    ClipTokenizer t = new ClipTokenizer(this, length);
    return t;
  }

  private ClipTokenizer(ClipTokenizer other, int contextLength) {
    this.vocab = other.vocab;
    this.bpe = other.bpe;
    this.startId = other.startId;
    this.endId = other.endId;
    this.contextLength = contextLength;
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  /** Number of ids: 512 byte symbols + merges + 2 special tokens (49408 for CLIP). */
  @Override
  public int vocabSize() {
    return vocab.length;
  }

  @Override
  public int specialTokensPerRow() {
    return 2;
  }

  public int startOfTextId() {
    return startId;
  }

  public int endOfTextId() {
    return endId;
  }

  /** BPE ids of the cleaned text, without start/end tokens and without length limit. */
  @Override
  public int[] encode(String text) {
    String cleaned = TextCleaner.clean(text);
    IntList out = new IntList(cleaned.length() / 3 + 4);
    Matcher m = PIECES.matcher(cleaned);
    while (m.find()) {
      String piece = m.group();
      if (piece.equals(START_OF_TEXT)) {
        out.add(startId);
      } else if (piece.equals(END_OF_TEXT)) {
        out.add(endId);
      } else {
        out.addAll(bpe.encode(ByteSymbols.encode(piece)));
      }
    }
    return out.toArray();
  }

  /** Rows of {@code length} ids: start, BPE ids, end, zeros; a row that is too long is cut and ends with end. */
  @Override
  public long[][] tokenize(List<String> texts, int length) {
    if (length < 2 || length > MAX_CONTEXT_LENGTH) {
      throw new IllegalArgumentException("context length must be 2.." + MAX_CONTEXT_LENGTH + ", got " + length);
    }
    long[][] rows = new long[texts.size()][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = frame(encode(texts.get(r)), length);
    }
    return rows;
  }

  private long[] frame(int[] ids, int length) {
    long[] row = new long[length];
    row[0] = startId;
    int n = Math.min(ids.length, length - 1);
    for (int i = 0; i < n; i++) {
      row[i + 1] = ids[i];
    }
    if (ids.length + 2 <= length) {
      row[ids.length + 1] = endId;
    } else {
      row[length - 1] = endId;
    }
    return row;
  }

  /**
   * open_clip's {@code decode}: vocabulary strings concatenated, mapped back to bytes, decoded as UTF-8 with
   * each invalid sequence replaced by U+FFFD, and every {@code </w>} replaced by a space. Special ids decode as
   * their names and padding id 0 as {@code "!"}.
   *
   * @throws IllegalArgumentException for an id outside the vocabulary
   */
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
    for (int id : ids) {
      if (id < 0 || id >= vocab.length) {
        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size " + vocab.length + ")");
      }
      String s = vocab[id];
      for (int i = 0; i < s.length(); i++) {
        int b = ByteSymbols.byteOf(s.charAt(i));
        // Special tokens are plain ASCII, whose symbol characters are the bytes themselves.
        bytes.write(b >= 0 ? b : s.charAt(i));
      }
    }
    String text = Utf8.decodeReplacing(bytes.toByteArray());
    return text.replace("</w>", " ");
  }

  /** Growable int array, to avoid boxing in the hot path. */
  private static final class IntList {
    private int[] data;
    private int size;

    IntList(int capacity) {
      data = new int[Math.max(capacity, 4)];
    }

    void add(int v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }

    void addAll(int[] vs) {
      if (size + vs.length > data.length) {
        data = java.util.Arrays.copyOf(data, Math.max(size * 2, size + vs.length));
      }
      System.arraycopy(vs, 0, data, size, vs.length);
      size += vs.length;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}

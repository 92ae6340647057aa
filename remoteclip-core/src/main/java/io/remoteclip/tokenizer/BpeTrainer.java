package io.remoteclip.tokenizer;

import io.remoteclip.ProgressListener;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.zip.GZIPOutputStream;

/**
 * Learns byte-level BPE merges from a corpus, in the format {@link ClipTokenizer#load} reads.
 *
 * <p>Texts are cleaned and split exactly as the tokenizer does ({@link TextCleaner}, same piece pattern;
 * the special-token literals are skipped), each piece becomes its UTF-8 byte symbols with {@code </w>} on the
 * last, and the pair with the highest corpus count is merged, {@code merges} times. Ties are broken by the
 * smaller pair in {@link String#compareTo} order of (first symbol, then second symbol), so training is
 * deterministic and independent of input order. Training stops early when no pair occurs at least {@code
 * minCount} times (default 2).
 */
public final class BpeTrainer {
  private final int minCount;

  public BpeTrainer() {
    this(2);
  }

  public BpeTrainer(int minCount) {
    if (minCount < 1) {
      throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
    }
    this.minCount = minCount;
  }

  /** Learns up to {@code merges} merges (each {@code {first, second}}) from {@code texts}. */
  public List<String[]> train(Iterable<String> texts, int merges, ProgressListener progress) {
    if (merges < 0 || merges > BpeMerges.CLIP_MERGES) {
      throw new IllegalArgumentException("merges must be in 0.." + BpeMerges.CLIP_MERGES + ", got " + merges);
    }
    Corpus corpus = Corpus.of(texts);
    List<String[]> learned = new ArrayList<>(merges);
    progress.start("learning BPE merges", merges);
    while (learned.size() < merges) {
      long pair = corpus.bestPair(minCount);
      if (pair < 0) {
        break;
      }
      learned.add(corpus.merge(pair));
      progress.update(learned.size());
    }
    progress.finish();
    return learned;
  }

  /** Writes merges as a vocabulary file; gzip-compressed when the name ends with {@code .gz}. Atomic. */
  public static void write(Path file, List<String[]> merges) throws IOException {
    boolean gzip = file.getFileName().toString().endsWith(".gz");
    AtomicFiles.write(file, raw -> {
      OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      w.write("#version: 0.2 remoteclip train-vocab, " + merges.size() + " merges\n");
      for (String[] m : merges) {
        w.write(m[0]);
        w.write(' ');
        w.write(m[1]);
        w.write('\n');
      }
      w.flush();
      if (gzip) {
        ((GZIPOutputStream) out).finish();
      }
    });
  }

  /** Distinct words as symbol-id arrays with their counts, pair counts, and which words hold each pair. */
  private static final class Corpus {
    private final List<String> symbols = new ArrayList<>();
    private final Map<String, Integer> symbolIds = new HashMap<>();
    private final List<int[]> words = new ArrayList<>();
    private final List<Long> wordCounts = new ArrayList<>();
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, List<Integer>> pairWords = new HashMap<>();
    private final PriorityQueue<long[]> queue = new PriorityQueue<>(this::compareEntries);
    /** Off while the initial counts are built (they are queued once at the end), on during merging. */
    private boolean tracking;

    static Corpus of(Iterable<String> texts) {
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String text : texts) {
        Matcher m = ClipTokenizer.piecePattern().matcher(TextCleaner.clean(text));
        while (m.find()) {
          String piece = m.group();
          if (!piece.equals(ClipTokenizer.START_OF_TEXT) && !piece.equals(ClipTokenizer.END_OF_TEXT)) {
            counts.merge(ByteSymbols.encode(piece), 1L, Long::sum);
          }
        }
      }
      Corpus c = new Corpus();
      for (int i = 0; i < 256; i++) {
        c.symbolId(String.valueOf(ByteSymbols.CHAR_OF_BYTE[ByteSymbols.ORDER[i]]));
      }
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        String w = e.getKey();
        int[] ids = new int[w.length()];
        for (int i = 0; i < ids.length; i++) {
          String s = String.valueOf(w.charAt(i));
          ids[i] = c.symbolId(i == ids.length - 1 ? s + "</w>" : s);
        }
        c.words.add(ids);
        c.wordCounts.add(e.getValue());
        c.addPairs(c.words.size() - 1, ids, 1);
      }
      for (Map.Entry<Long, Long> e : c.pairCounts.entrySet()) {
        c.queue.add(new long[] {e.getValue(), e.getKey()});
      }
      c.tracking = true;
      return c;
    }

    private int symbolId(String s) {
      Integer id = symbolIds.get(s);
      if (id == null) {
        id = symbols.size();
        symbols.add(s);
        symbolIds.put(s, id);
      }
      return id;
    }

    /** Higher count first, then the smaller (first, second) by string order. */
    private int compareEntries(long[] x, long[] y) {
      if (x[0] != y[0]) {
        return Long.compare(y[0], x[0]);
      }
      int c = symbols.get(first(x[1])).compareTo(symbols.get(first(y[1])));
      return c != 0 ? c : symbols.get(second(x[1])).compareTo(symbols.get(second(y[1])));
    }

    private static int first(long pair) {
      return (int) (pair >>> 32);
    }

    private static int second(long pair) {
      return (int) pair;
    }

    private void addPairs(int word, int[] ids, int sign) {
      long count = wordCounts.get(word) * sign;
      for (int i = 0; i + 1 < ids.length; i++) {
        long key = BytePairEncoder.pairKey(ids[i], ids[i + 1]);
        long now = pairCounts.merge(key, count, Long::sum);
        if (sign > 0) {
          pairWords.computeIfAbsent(key, k -> new ArrayList<>()).add(word);
        }
        if (now == 0) {
          pairCounts.remove(key);
        } else if (tracking) {
          queue.add(new long[] {now, key});
        }
      }
    }

    /** The most frequent pair (stale queue entries skipped), or -1 when none reaches {@code minCount}. */
    long bestPair(int minCount) {
      while (!queue.isEmpty()) {
        long[] top = queue.peek();
        Long current = pairCounts.get(top[1]);
        if (current == null || current != top[0]) {
          queue.poll();
          continue;
        }
        return top[0] >= minCount ? top[1] : -1;
      }
      return -1;
    }

    String[] merge(long pair) {
      int a = first(pair);
      int b = second(pair);
      int merged = symbolId(symbols.get(a) + symbols.get(b));
      List<Integer> holders = pairWords.remove(pair);
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (int w : holders) {
        if (!seen.add(w)) {
          continue;
        }
        int[] old = words.get(w);
        int[] next = apply(old, a, b, merged);
        if (next.length == old.length) {
          continue; // the pair no longer occurs in this word
        }
        addPairs(w, old, -1);
        words.set(w, next);
        addPairs(w, next, 1);
      }
      pairCounts.remove(pair);
      return new String[] {symbols.get(a), symbols.get(b)};
    }

    /** Left-to-right, non-overlapping merge of every (a, b), as {@link BytePairEncoder} applies it. */
    private static int[] apply(int[] word, int a, int b, int merged) {
      int[] out = new int[word.length];
      int n = 0;
      for (int i = 0; i < word.length; ) {
        if (i + 1 < word.length && word[i] == a && word[i + 1] == b) {
          out[n++] = merged;
          i += 2;
        } else {
          out[n++] = word[i++];
        }
      }
      return java.util.Arrays.copyOf(out, n);
    }
  }
}
